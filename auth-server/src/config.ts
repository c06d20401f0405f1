/**
 * The auth-server's configuration: read once from the environment, validated, and turned into a typed object.
 *
 * With no variables at all it talks to the local emulator's demo project (Consumer on :9010, B2B on :9011).
 * With STYTCH_PROJECT_ID, STYTCH_SECRET and STYTCH_API_URL=https://<project domain> it talks to Stytch.
 */
import { z } from 'zod';
import { envField, parseEnv, type Env } from '../../src/shared/config.ts';
import { DEFAULT_PORTS } from '../../src/shared/demo.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { resolveStytchProject, stytchProjectFields, usesInsecureStytchApi as insecure, type StytchProjectConfig } from '../../src/shared/stytch-project.ts';

export interface StytchConfig extends StytchProjectConfig {
  timeoutMs: number;
  sessionDurationMinutes: number;
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
  ...stytchProjectFields,
  STYTCH_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(120_000).default(10_000),
  STYTCH_SESSION_DURATION_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).int().min(5).max(525_600).default(60),
});

export function loadConfig(env: Env = process.env): AuthServerConfig {
  const vars = parseEnv('auth-server', schema, env);
  const problems: string[] = [];
  const project = resolveStytchProject(vars, problems);

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
      ...project,
      timeoutMs: vars.STYTCH_TIMEOUT_MS,
      sessionDurationMinutes: vars.STYTCH_SESSION_DURATION_MINUTES,
    },
  };
}

/** True when the http API URL is allowed only because of the dangerous opt-in (the app logs a warning). */
export function usesInsecureStytchApi(config: AuthServerConfig): boolean {
  return insecure(config.stytch);
}
