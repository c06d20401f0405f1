/**
 * The client-app's configuration: read once from the environment, validated with zod, turned into a typed object.
 * Every variable is documented in client-app/README.md.
 */
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { envField, parseEnv, type Env } from '../../src/shared/config.ts';
import { DEFAULT_PORTS } from '../../src/shared/demo.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import type { LevelWithSilent } from 'pino';
import { AUTH_METHODS, ProfileProblems, demoProfiles, readProfileFile, resolveProfiles, type ClientProfile, type ProfileInput } from './profiles.ts';

const APP = 'client-app';

const schema = z.object({
  CLIENT_APP_PORT: envField.port(DEFAULT_PORTS.clientApp),
  CLIENT_APP_HOST: z.string().default('localhost'),
  CLIENT_APP_PUBLIC_URL: envField.url('http://localhost:3001').optional(),
  CLIENT_APP_PROFILES: z.string().optional(),
  OIDC_ISSUER: envField.url('https://login.example.com').optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_TOKEN_ENDPOINT_AUTH_METHOD: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
  OIDC_SCOPES: z.string().optional(),
  OIDC_REDIRECT_URI: envField.url('http://localhost:3001/callback').optional(),
  CLIENT_APP_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
  CLIENT_APP_SESSION_DB: z.string().default('.data/client-app-sessions.db'),
  REDIS_URL: z.url({ message: 'must be a redis:// or rediss:// URL', protocol: /^rediss?$/ }).optional(),
  LOG_LEVEL: envField.logLevel(),
  OIDC_HTTP_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds, e.g. 10000' })
    .int()
    .min(100, 'must be at least 100 ms')
    .max(120_000, 'must be at most 120000 ms')
    .default(10_000),
});

/** Profiles, or a function of the app's public URL that returns them (for apps started on port 0). */
export type ProfileSource = readonly ClientProfile[] | ((publicUrl: string) => readonly ClientProfile[]);

export interface ClientAppConfig {
  port: number;
  host: string;
  /**
   * The base URL people reach the app at, without a trailing slash. Unset only when the port is 0:
   * `startClientApp` fills it in once the port is known.
   */
  publicUrl?: string | undefined;
  profiles: ProfileSource;
  session: {
    /** Signs the session cookie; a local secret is generated next to the session DB when unset. */
    secret?: string | undefined;
    /** SQLite file of the embedded store, or `:memory:` (tests). */
    sqlitePath: string;
    /** Shared store for several instances. */
    redisUrl?: string | undefined;
  };
  logLevel: LevelWithSilent;
  /** Timeout of every request to the provider (discovery, token, userinfo, revocation, JWKS). */
  httpTimeoutMs: number;
}

/** Where a local session secret is kept when `CLIENT_APP_SESSION_SECRET` is unset. */
export function sessionSecretFile(config: ClientAppConfig): string {
  const db = config.session.sqlitePath;
  return db === ':memory:' ? ':memory:' : join(dirname(db), 'client-app-session-secret');
}

/** Resolves the profile source against the app's public URL. */
export function profilesFor(config: ClientAppConfig, publicUrl: string): readonly ClientProfile[] {
  return typeof config.profiles === 'function' ? config.profiles(publicUrl) : config.profiles;
}

export function loadClientAppConfig(env: Env = process.env): ClientAppConfig {
  const vars = parseEnv(APP, schema, env);
  const problems: string[] = [];

  const publicUrl = (vars.CLIENT_APP_PUBLIC_URL ?? (vars.CLIENT_APP_PORT === 0 ? undefined : `http://localhost:${vars.CLIENT_APP_PORT}`))?.replace(/\/+$/, '');

  const single = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_TOKEN_ENDPOINT_AUTH_METHOD', 'OIDC_SCOPES', 'OIDC_REDIRECT_URI'] as const;
  const singleSet = single.filter((name) => vars[name] !== undefined);
  if (vars.CLIENT_APP_PROFILES && singleSet.length) {
    problems.push(`CLIENT_APP_PROFILES and ${singleSet.join(', ')} are both set: use either a profile file or the single-profile OIDC_* variables`);
  }
  if (singleSet.length && (!vars.OIDC_ISSUER || !vars.OIDC_CLIENT_ID)) {
    problems.push(
      `${!vars.OIDC_ISSUER ? 'OIDC_ISSUER' : 'OIDC_CLIENT_ID'}: required when any OIDC_* variable is set (the single-profile configuration needs at least OIDC_ISSUER and OIDC_CLIENT_ID)`,
    );
  }

  let inputs: ((url: string) => ProfileInput[]) | undefined;
  if (vars.CLIENT_APP_PROFILES) {
    try {
      const fromFile = readProfileFile(vars.CLIENT_APP_PROFILES);
      inputs = () => fromFile;
    } catch (err) {
      if (!(err instanceof ProfileProblems)) throw err;
      problems.push(...err.problems.map((p) => `CLIENT_APP_PROFILES: ${p}`));
    }
  } else if (vars.OIDC_ISSUER && vars.OIDC_CLIENT_ID) {
    const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_TOKEN_ENDPOINT_AUTH_METHOD, OIDC_SCOPES, OIDC_REDIRECT_URI } = vars;
    inputs = () => [
      {
        id: 'default',
        label: OIDC_CLIENT_ID,
        issuer: OIDC_ISSUER,
        client_id: OIDC_CLIENT_ID,
        ...(OIDC_CLIENT_SECRET ? { client_secret: OIDC_CLIENT_SECRET } : {}),
        ...(OIDC_TOKEN_ENDPOINT_AUTH_METHOD ? { token_endpoint_auth_method: OIDC_TOKEN_ENDPOINT_AUTH_METHOD } : {}),
        ...(OIDC_SCOPES ? { scope: OIDC_SCOPES } : {}),
        ...(OIDC_REDIRECT_URI ? { redirect_uri: OIDC_REDIRECT_URI } : {}),
      },
    ];
  } else if (!singleSet.length) {
    inputs = (url) => demoProfiles({ clientAppUrl: url });
  }

  // Validate the profiles now when the public URL is known, so that a bad profile stops the start, not a login.
  let profiles: ProfileSource = [];
  if (inputs) {
    const build = inputs;
    const resolve = (url: string) => {
      try {
        return resolveProfiles(build(url), url, env);
      } catch (err) {
        if (!(err instanceof ProfileProblems)) throw err;
        const source = vars.CLIENT_APP_PROFILES ? 'CLIENT_APP_PROFILES' : vars.OIDC_ISSUER ? 'OIDC_*' : 'demo profiles';
        throw new ConfigError(
          APP,
          err.problems.map((p) => `${source}: ${p}`),
        );
      }
    };
    if (publicUrl) {
      try {
        profiles = resolve(publicUrl);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        problems.push(...err.problems);
      }
    } else {
      profiles = resolve;
    }
  }

  if (problems.length) throw new ConfigError(APP, problems);

  return {
    port: vars.CLIENT_APP_PORT,
    host: vars.CLIENT_APP_HOST,
    publicUrl,
    profiles,
    session: { secret: vars.CLIENT_APP_SESSION_SECRET, sqlitePath: vars.CLIENT_APP_SESSION_DB, redisUrl: vars.REDIS_URL },
    logLevel: vars.LOG_LEVEL,
    httpTimeoutMs: vars.OIDC_HTTP_TIMEOUT_MS,
  };
}
