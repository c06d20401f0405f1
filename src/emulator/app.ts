/**
 * The emulator's HTTP surface, composed in one place. Each route module owns one area of the Stytch API
 * and exports `(ctx) => Router`; the order below is the order requests are matched in.
 */
import express, { type Express, type Router } from 'express';
import { requestLogging } from '../shared/log.ts';
import type { EmulatorContext } from './context.ts';
import { StytchApiError, errorHandler, requestId } from './errors.ts';

type RouteModule = (ctx: EmulatorContext) => Router;

/**
 * Registered by each area as it lands (see the list in createEmulatorApp). No two areas serve the same path, so
 * the order decides only how many routers a request passes before its own: the four calls of every sign-in
 * (token and UserInfo, authorize start and submit) come first, rather than after some twenty routes of the
 * identity API (~0.05 ms of CPU per request).
 */
const ROUTES: Array<[name: string, load: () => Promise<{ default: RouteModule }>]> = [
  // The OAuth endpoints of the project domain (client-authenticated, or a bearer token), DCR.
  ['oauth2', () => import('./routes/oauth2/index.ts')],
  // Backend API (Basic project_id:secret): the IDP side, then the identity API, Consumer and B2B.
  ['idp', () => import('./routes/idp/index.ts')],
  // Unauthenticated: discovery, JWKS.
  ['well-known', () => import('./routes/well-known.ts')],
  ['consumer', () => import('./routes/consumer/index.ts')],
  ['b2b', () => import('./routes/b2b/index.ts')],
  ['connected-apps', () => import('./routes/connected-apps.ts')],
  ['rbac', () => import('./rbac.ts')],
  // Emulator-only administration (fault injection), never used by auth-server or client-app.
  ['admin', () => import('./routes/admin.ts')],
];

export async function createEmulatorApp(ctx: EmulatorContext): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId(ctx));
  // One line per request: method, route pattern, status, who authenticated (client or project), duration, id.
  app.use(
    requestLogging(ctx.log, {
      requestId: (_req, res) => res.locals.requestId as string,
      principal: (res) => res.locals.principal as Record<string, string> | undefined,
    }),
  );
  // Stytch accepts JSON everywhere and form bodies on the OAuth endpoints.
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', project_id: ctx.projectId, project_type: ctx.projectType });
  });

  for (const [, load] of ROUTES) app.use((await load()).default(ctx));

  app.use((req, _res, next) => {
    next(new StytchApiError('route_not_found', `No route for ${req.method} ${req.path} in this emulator (project type: ${ctx.projectType}).`));
  });
  app.use(errorHandler(ctx));
  return app;
}
