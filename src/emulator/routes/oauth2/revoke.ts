/**
 * `POST /v1/oauth2/revoke` (RFC 7009; ST-REVOKE). Revoking a refresh token revokes it and the access
 * token issued at the same time (Stytch's Revoke Token page); revoking an access token revokes that token. An unknown, invalid or already
 * revoked token, or another client's token, still gets 200, and another client's token stays valid.
 * The `token_type_hint` only orders the search (RFC 7009 §2.1: a wrong hint must not prevent revocation).
 */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { authenticateClient } from '../../oauth/client-auth.ts';
import { findRefreshToken, revokeAccessToken, revokeRefreshToken } from '../../oauth/grants.ts';
import { param, requiredParam } from '../../oauth/params.ts';
import { verifyAccessToken } from '../../oauth/tokens.ts';

export default function revokeRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/revoke', async (req, res) => {
    const { client } = authenticateClient(ctx, req);
    const token = requiredParam(req, 'token');
    param(req, 'token_type_hint');

    const refresh = findRefreshToken(ctx, token);
    if (refresh) {
      if (refresh.record.client_id === client.client_id) revokeRefreshToken(ctx, refresh.id);
    } else {
      const access = await verifyAccessToken(ctx, token);
      if (access && access.token.client_id === client.client_id) revokeAccessToken(ctx, access.token.jti);
    }
    send(res, {});
  });
  return router;
}
