/**
 * `GET|POST /v1/oauth2/userinfo` (OIDC Core §5.3; ST-USERINFO): the claims the token's scopes
 * release, `sub` always. A token that is not live → 401 `invalid_token`; one without `openid` → 403
 * `insufficient_scope` (OIDC Core §5.3.3).
 */
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { applyUserinfoFaults } from '../../faults/index.ts';
import { claimsForScopes, oidcProfile } from '../../identity/claims.ts';
import { bearerError, bearerToken } from '../../oauth/bearer.ts';
import { verifyAccessToken } from '../../oauth/tokens.ts';

export default function userinfoRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const userinfo = async (req: Request, res: Response) => {
    const token = bearerToken(req);
    const live = await verifyAccessToken(ctx, token);
    if (live) res.locals.evidenceClientId = live.token.client_id;
    if (!live) throw bearerError('invalid_token', 'The access token is invalid, expired or revoked.');
    if (!live.token.scopes.includes('openid')) throw bearerError('insufficient_scope', 'The access token was not granted the openid scope.');
    send(res, applyUserinfoFaults(ctx, live.token.client_id, claimsForScopes(oidcProfile(live.identity), live.token.scopes)));
  };
  router.get('/userinfo', userinfo);
  router.post('/userinfo', userinfo);
  return router;
}
