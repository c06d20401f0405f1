/** The IDP side of the backend API (Basic auth): authorize start/submit, per-person Connected Apps, token exchange. */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import idpAuthorizeRoutes from './authorize.ts';
import idpConnectedAppsRoutes from './connected-apps.ts';
import exchangeAccessTokenRoutes from './exchange-access-token.ts';

export default function idpRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use(idpAuthorizeRoutes(ctx));
  router.use(idpConnectedAppsRoutes(ctx));
  router.use(exchangeAccessTokenRoutes(ctx));
  return router;
}
