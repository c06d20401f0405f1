/**
 * `GET /v1/oauth2/authorize`: the project domain's authorization endpoint as a front door that sends the
 * browser to the project's Authorization URL (its own app) with the query string intact.
 * UNCONFIRMED (ST-DCR): discovery advertises the Authorization URL itself, so clients do not
 * need this; it exists for clients configured with `{issuer}/v1/oauth2/authorize`.
 */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { requireAuthorizationUrl } from '../well-known.ts';

export default function authorizeRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/authorize', (req, res) => {
    const target = new URL(requireAuthorizationUrl(ctx));
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    // Keep the query byte for byte (no re-encoding); append to any query the Authorization URL already has.
    const location = query ? `${target.href}${target.search ? '&' : '?'}${query}` : target.href;
    res.redirect(302, location);
  });
  return router;
}
