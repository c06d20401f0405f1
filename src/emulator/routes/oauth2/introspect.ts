/**
 * `POST /v1/oauth2/introspect` (RFC 7662; ST-INTROSPECT). The caller authenticates as a client; a token
 * that is expired, revoked, unknown, malformed, or belongs to another client is `{active: false}` and
 * nothing more, whatever the reason (RFC 7662 §2.2).
 */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { authenticateClient } from '../../oauth/client-auth.ts';
import { activeGrant, findRefreshToken } from '../../oauth/grants.ts';
import { requiredParam } from '../../oauth/params.ts';
import { identityOf } from '../../oauth/subject.ts';
import { organizationClaim, verifyAccessToken } from '../../oauth/tokens.ts';

export default function introspectRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/introspect', async (req, res) => {
    const { client } = authenticateClient(ctx, req);
    const token = requiredParam(req, 'token');

    const access = await verifyAccessToken(ctx, token);
    if (access && access.token.client_id === client.client_id) {
      // The token's own claims (custom ones included), minus `jti`, which the SDK would report as custom.
      const { jti: _jti, ...claims } = access.claims;
      send(res, { active: true, ...claims, scope: access.token.scopes.join(' '), token_type: 'access_token' });
      return;
    }
    const refresh = access ? undefined : findRefreshToken(ctx, token);
    if (refresh && refresh.record.status === 'active' && refresh.record.client_id === client.client_id) {
      const grant = activeGrant(ctx, refresh.record.grant_id);
      const identity = grant && identityOf(ctx, grant.subject);
      if (grant && identity) {
        send(res, {
          active: true,
          iss: ctx.issuer,
          sub: grant.subject.kind === 'user' ? grant.subject.user_id : grant.subject.member_id,
          aud: [ctx.projectId, ...(grant.resources ?? [])],
          client_id: client.client_id,
          scope: grant.scopes.join(' '),
          token_type: 'refresh_token',
          iat: refresh.record.issued_at,
          exp: refresh.record.expires_at,
          ...organizationClaim(identity),
        });
        return;
      }
    }
    send(res, { active: false });
  });
  return router;
}
