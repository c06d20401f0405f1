/**
 * The auth-server as a factory: `createApp(config)` builds everything (Stytch SDK client, session store,
 * routes) and returns the Express app with a `close()`. `main.ts` listens; tests start it on port 0.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import express, { type Express } from 'express';
import { createLogger, requestLogging, type Logger } from '../../src/shared/log.ts';
import { createRateLimiter, RATE_LIMITS } from '../../src/shared/rate-limit.ts';
import { loadOrCreateSecret } from '../../src/shared/secrets.ts';
import { createSessionStore, sessionMiddleware } from '../../src/shared/session.ts';
import { authorizeRouter } from './authorize/index.ts';
import { usesInsecureStytchApi, type AuthServerConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { csrfToken } from './csrf.ts';
import { errorHandler, PageError } from './errors.ts';
import { loginRouter } from './login/index.ts';
import { securityHeaders } from './security-headers.ts';
import { currentLogin } from './session.ts';
import { createStytchBackend } from './stytch/index.ts';
import { homePage } from './views/home.ts';

export const SESSION_COOKIE = 'auth_sid';

export interface AuthServerApp {
  app: Express;
  log: Logger;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  log?: Logger;
}

export async function createApp(config: AuthServerConfig, options: CreateAppOptions = {}): Promise<AuthServerApp> {
  const log = options.log ?? createLogger('auth-server', config.logLevel);
  if (usesInsecureStytchApi(config)) {
    log.warn({ apiUrl: config.stytch.apiUrl }, 'DANGEROUSLY_ALLOW_HTTP_STYTCH_API is set: the project secret is sent over plain http');
  }
  const stytch = createStytchBackend(config.stytch);
  const sessions = await createSessionStore({ redisUrl: config.redisUrl, sqlitePath: config.sessionDb, prefix: 'auth-server' }, log);
  const sessionSecret = loadOrCreateSecret(
    config.sessionSecret,
    // Next to the session database: both belong to the same data folder (`.data/<project type>/` with npm start).
    config.sessionDb === ':memory:' ? ':memory:' : join(dirname(config.sessionDb), 'auth-server-session-secret'),
    log,
    'AUTH_SERVER_SESSION_SECRET',
  );
  // Rate limits (src/shared/rate-limit.ts): failed logins and failed consent submits per client IP, shared via Redis.
  const limiter = await createRateLimiter({
    app: 'auth-server',
    redisUrl: config.redisUrl,
    log,
    onLimited: (_req, _res, next) => next(new PageError('rate_limited')),
  });
  const secure = config.publicUrl.startsWith('https://');
  const ctx: AppContext = { config, stytch, log, view: { appName: config.appName }, cookie: { name: SESSION_COOKIE, secure } };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.use(requestLogging(log));
  app.use(securityHeaders({ https: secure }));
  app.use('/assets', express.static(fileURLToPath(new URL('./views/assets/', import.meta.url)), { index: false, maxAge: '1h' }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', projectType: config.stytch.projectType });
  });

  app.use(
    sessionMiddleware({
      name: SESSION_COOKIE,
      secret: sessionSecret,
      store: sessions.store,
      secure,
      maxAgeMs: config.stytch.sessionDurationMinutes * 60_000,
      trustProxy: config.trustProxy,
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));

  app.get('/', (req, res) => {
    const login = currentLogin(req);
    res.type('html').send(homePage(ctx.view, login ? { person: login.person, csrfToken: csrfToken(req) } : {}).toString());
  });
  app.post('/login', limiter.limit(RATE_LIMITS.loginFailures));
  app.post('/oauth/authorize/submit', limiter.limit(RATE_LIMITS.tokenFailures));
  app.use(loginRouter(ctx));
  app.use(authorizeRouter(ctx));
  app.use(() => {
    throw new PageError('not_found');
  });
  app.use(errorHandler({ issuer: config.stytch.issuer, view: ctx.view }));

  return {
    app,
    log,
    close: async () => {
      await sessions.close();
      await limiter.close();
      await stytch.close();
    },
  };
}
