/**
 * The auth-server's configuration: read once from the environment, validated, and turned into a typed object.
 *
 * With no variables at all it talks to the local emulator's demo project (Consumer on :9010, B2B on :9011).
 * With STYTCH_PROJECT_ID, STYTCH_SECRET and STYTCH_API_URL=https://<project domain> it talks to Stytch.
 */
import { z } from 'zod';
import { envField, isLoopbackUrl, parseEnv, type Env } from '../../src/shared/config.ts';
import { DEFAULT_PORTS, loadDemoSeed } from '../../src/shared/demo.ts';
import { missingProjectVariables, stytchProjectSchema, type ProjectType } from '../../src/shared/project.ts';
import { ConfigError } from '../../src/shared/errors.ts';

export interface StytchConfig {
  projectType: ProjectType;
  projectId: string;
  secret: string;
  /** Base URL the SDK talks to, normalised (origin only, trailing slash). */
  apiUrl: string;
  /**
   * The issuer of the project's tokens and authorization responses (RFC 9207 `iss`). Stytch takes it from
   * the host the API is called on (ST-PROJECT-DOMAIN), so it is the API URL without a trailing slash.
   */
  issuer: string;
  timeoutMs: number;
  sessionDurationMinutes: number;
  /** True when this is the demo project of the local emulator (the login page then shows the demo account). */
  isDemo: boolean;
}

export interface AuthServerConfig {
  port: number;
  host: string;
  /** Base URL people reach this server on; decides the `Secure` cookie flag. */
  publicUrl: string;
  trustProxy: boolean;
  /** Product name shown on the pages: this server is the login of "your app". */
  appName: string;
  sessionSecret: string | undefined;
  sessionDb: string;
  redisUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  stytch: StytchConfig;
}

const DEMO_API_URL: Record<ProjectType, string> = {
  consumer: `http://localhost:${DEFAULT_PORTS.emulator.consumer}`,
  b2b: `http://localhost:${DEFAULT_PORTS.emulator.b2b}`,
};

const schema = z.object({
  AUTH_SERVER_PORT: envField.port(DEFAULT_PORTS.authServer),
  AUTH_SERVER_HOST: z.string().default('localhost'),
  AUTH_SERVER_PUBLIC_URL: envField.url('https://login.example.com').optional(),
  AUTH_SERVER_TRUST_PROXY: envField.bool(false),
  AUTH_SERVER_APP_NAME: z.string().max(60, 'must be at most 60 characters').default('Acme'),
  AUTH_SERVER_SESSION_SECRET: z.string().min(32, 'must be at least 32 random characters, e.g. `openssl rand -base64 32`').optional(),
  AUTH_SERVER_SESSION_DB: z.string().default('.data/auth-server-sessions.db'),
  REDIS_URL: z.url({ message: 'must be a redis:// or rediss:// URL', protocol: /^rediss?$/ }).optional(),
  LOG_LEVEL: envField.logLevel(),
  ...stytchProjectSchema.shape,
  STYTCH_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(120_000).default(10_000),
  STYTCH_SESSION_DURATION_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(5).max(525_600).default(60),
  DANGEROUSLY_ALLOW_HTTP_STYTCH_API: envField.bool(false),
});

export function loadConfig(env: Env = process.env): AuthServerConfig {
  const vars = parseEnv('auth-server', schema, env);
  const problems: string[] = [];
  const projectType = vars.STYTCH_PROJECT_TYPE;

  // Either all three Stytch variables name a real project, or none is set and the demo project is used.
  let projectId: string;
  let secret: string;
  let apiUrl: string;
  let isDemo = false;
  if (vars.STYTCH_PROJECT_ID || vars.STYTCH_SECRET) {
    problems.push(...missingProjectVariables(vars));
    projectId = vars.STYTCH_PROJECT_ID ?? '';
    secret = vars.STYTCH_SECRET ?? '';
    apiUrl = vars.STYTCH_API_URL ?? '';
  } else {
    const seed = loadDemoSeed(projectType);
    projectId = seed.project.project_id;
    secret = seed.project.secret;
    apiUrl = vars.STYTCH_API_URL ?? DEMO_API_URL[projectType];
    isDemo = true;
  }

  let normalisedApiUrl = '';
  let issuer = '';
  if (apiUrl) {
    const url = new URL(apiUrl);
    if (url.pathname !== '/' || url.search || url.hash) {
      // The SDK resolves absolute paths (`/v1/...`) against the base URL, so a path prefix would be dropped silently.
      problems.push(`STYTCH_API_URL: must be an origin without a path, e.g. ${url.origin} (got "${apiUrl}")`);
    }
    if (url.username || url.password) problems.push('STYTCH_API_URL: must not contain credentials');
    if (url.protocol === 'http:' && !isLoopbackUrl(url) && !vars.DANGEROUSLY_ALLOW_HTTP_STYTCH_API) {
      problems.push(
        `STYTCH_API_URL: plain http is only allowed on localhost (got "${apiUrl}"). Use https, ` +
          'or set DANGEROUSLY_ALLOW_HTTP_STYTCH_API=true for a test network where the project secret may travel unencrypted',
      );
    }
    normalisedApiUrl = `${url.origin}/`;
    issuer = url.origin;
  }

  if (problems.length > 0) throw new ConfigError('auth-server', problems);

  const publicUrl = vars.AUTH_SERVER_PUBLIC_URL ?? `http://${vars.AUTH_SERVER_HOST}:${vars.AUTH_SERVER_PORT}`;
  return {
    port: vars.AUTH_SERVER_PORT,
    host: vars.AUTH_SERVER_HOST,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    trustProxy: vars.AUTH_SERVER_TRUST_PROXY,
    appName: vars.AUTH_SERVER_APP_NAME,
    sessionSecret: vars.AUTH_SERVER_SESSION_SECRET,
    sessionDb: vars.AUTH_SERVER_SESSION_DB,
    redisUrl: vars.REDIS_URL,
    logLevel: vars.LOG_LEVEL,
    stytch: {
      projectType,
      projectId,
      secret,
      apiUrl: normalisedApiUrl,
      issuer,
      timeoutMs: vars.STYTCH_TIMEOUT_MS,
      sessionDurationMinutes: vars.STYTCH_SESSION_DURATION_MINUTES,
      isDemo,
    },
  };
}

/** True when the http API URL is allowed only because of the dangerous opt-in (the app logs a warning). */
export function usesInsecureStytchApi(config: AuthServerConfig): boolean {
  return config.stytch.apiUrl.startsWith('http:') && !isLoopbackUrl(config.stytch.apiUrl);
}
