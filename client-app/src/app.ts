/**
 * The client-app: a standards-only OpenID Connect relying party (a Stytch Connected App) built on openid-client.
 * `createApp(config)` builds the Express app; `startClientApp` (server.ts) listens; `main.ts` reads the
 * environment. Nothing here knows about Stytch or the emulator: any provider with the code flow and PKCE works.
 */
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { loadOrCreateSecret } from '../../src/shared/secrets.ts';
import { createLogger, requestLogging, type Logger } from '../../src/shared/log.ts';
import { createRateLimiter, RATE_LIMITS } from '../../src/shared/rate-limit.ts';
import { createSessionStore, sessionMiddleware } from '../../src/shared/session.ts';
import { type ClientAppConfig, profilesFor, SESSION_MAX_AGE_MINUTES, sessionSecretFile } from './config.ts';
import { createSessionLock } from './web/session-lock.ts';
import type { AppContext } from './context.ts';
import { RpError } from './errors.ts';
import { IssuerRegistry } from './oidc/issuers.ts';
import type { ClientProfile } from './profiles.ts';
import { TimelineStore } from './inspector/timeline-store.ts';
import { tracingFetch } from './inspector/trace.ts';
import { fetchTransport, undiciTransport } from './oidc/transport.ts';
import { requireCsrf } from './web/csrf.ts';
import { errorHandler, notFound } from './web/error-handler.ts';
import { callback } from './web/handlers/callback.ts';
import { login } from './web/handlers/login.ts';
import { logout } from './web/handlers/logout.ts';
import { account, healthz, home, inspector } from './web/handlers/pages.ts';
import { refresh, userinfo } from './web/handlers/session-actions.ts';
import { isHttps, SESSION_COOKIE } from './web/session-cookie.ts';
import './session-data.ts';

export interface CreateAppOptions {
  logger?: Logger;
  /** A fetch for every request to providers instead of the default transport (tests watch or tamper with it). */
  fetch?: typeof fetch;
  /** Only for test suites that provoke many failures from one IP on one instance; logs a warning. */
  dangerouslyDisableRateLimits?: boolean;
}

export interface ClientApp {
  app: Express;
  profiles: readonly ClientProfile[];
  close(): Promise<void>;
}

const STATIC_DIR = fileURLToPath(new URL('./web/static/', import.meta.url));

export async function createApp(config: ClientAppConfig, options: CreateAppOptions = {}): Promise<ClientApp> {
  const { publicUrl } = config;
  if (!publicUrl) throw new Error('createApp: config.publicUrl is required (startClientApp fills it in when listening on port 0)');
  const log = options.logger ?? createLogger('client-app', config.logLevel);
  const profiles = profilesFor(config, publicUrl);
  if (profiles.length === 0) throw new Error('createApp: no client profiles configured');

  const transport = options.fetch ? fetchTransport(options.fetch) : undiciTransport();
  const issuers = new IssuerRegistry({ timeoutMs: config.httpTimeoutMs, log, fetch: tracingFetch(transport) });
  const store = await createSessionStore({ redisUrl: config.session.redisUrl, sqlitePath: config.session.sqlitePath, prefix: 'client-app' }, log);
  // A refresh holds the lock through its token request, a possible revocation and the session save.
  const withSessionLock = createSessionLock({ redis: store.redis, prefix: 'client-app:lock:', ttlMs: 3 * config.httpTimeoutMs + 5_000 });
  const maxAgeMs = config.session.maxAgeMs ?? SESSION_MAX_AGE_MINUTES.default * 60_000;
  const timelines = new TimelineStore(store.attachment('timeline'), maxAgeMs);
  const ctx: AppContext = { profiles: new Map(profiles.map((p) => [p.id, p])), issuers, log, publicUrl, withSessionLock, timelines };
  const secret = loadOrCreateSecret(config.session.secret, sessionSecretFile(config), log, 'CLIENT_APP_SESSION_SECRET');
  // Rate limits (src/shared/rate-limit.ts): failed token-facing requests per client IP, shared via Redis.
  const limiter = await createRateLimiter({
    app: 'client-app',
    redisUrl: config.session.redisUrl,
    log,
    dangerouslyDisableRateLimits: options.dangerouslyDisableRateLimits,
    onLimited: (_req, _res, next) => next(new RpError('ERR_RATE_LIMITED', 'rate limit exceeded')),
  });
  const tokenLimit = limiter.limit(RATE_LIMITS.tokenFailures);
  const https = isHttps(publicUrl);
  // Forms may only post here, and the logout POST may redirect on to the providers (RP-initiated logout).
  const providerOrigins = new Set(profiles.map((p) => new URL(p.issuer).origin));

  const app = express();
  app.disable('x-powered-by');
  // Every page is no-store (below), so never revalidated: an ETag would only cost a SHA-1 of each page.
  // Static files keep theirs (express.static sets its own).
  app.set('etag', false);
  // `listen` serves plain http, so an https public URL means a TLS-terminating proxy in front of us.
  if (https) app.set('trust proxy', 1);
  app.use(requestLogging(log));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          formAction: ["'self'", ...providerOrigins],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      // The callback URL carries the authorization code: never leak it in a Referer (RFC 9700 §4.2.4).
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      strictTransportSecurity: https,
    }),
  );
  app.use(
    '/static',
    express.static(STATIC_DIR, {
      index: false,
      maxAge: '1h',
      // The Connected App's logo is registered with Stytch (logo_url) and shown on the Authorization URL's
      // consent page, another origin: helmet's default `same-origin` would make it a broken image there.
      setHeaders: (res, path) => {
        if (/\/logo[^/]*\.svg$/.test(path)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    }),
  );
  app.get('/healthz', healthz(ctx));

  // Everything below is personal or one-time: never cached.
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(
    sessionMiddleware({
      name: SESSION_COOKIE,
      secret,
      store: store.store,
      secure: https,
      maxAgeMs,
      trustProxy: https,
    }),
  );
  const form = [express.urlencoded({ extended: false, limit: '4kb' }), requireCsrf];

  app.get('/', home(ctx));
  app.get('/login', login(ctx));
  app.get('/callback', tokenLimit, callback(ctx));
  app.get('/account', account(ctx));
  app.get('/inspector', inspector(ctx));
  app.post('/refresh', tokenLimit, ...form, refresh(ctx));
  app.post('/userinfo', tokenLimit, ...form, userinfo(ctx));
  app.post('/logout', tokenLimit, ...form, logout(ctx, providerOrigins));

  app.use(notFound);
  app.use(errorHandler);

  for (const p of profiles) log.info({ profile: p.id, issuer: p.issuer, clientType: p.authMethod === 'none' ? 'public' : 'confidential' }, 'client profile');

  return {
    app,
    profiles,
    close: async () => {
      await store.close();
      await limiter.close();
      await transport.close();
    },
  };
}
