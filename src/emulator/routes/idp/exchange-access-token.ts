/**
 * `POST /v1/sessions/exchange_access_token` (Consumer) and `POST /v1/b2b/sessions/exchange_access_token`
 * (B2B): a first-party client trades an access token carrying `full_access` for a full Stytch session
 * (ST-EXCHANGE-ACCESS-TOKEN). Requirements: the token is live, has `full_access`, its client is first-party with
 * `full_access_allowed`, and the authorization was made with a session (session_token / session_jwt), not a
 * bare user_id. Without `session_duration_minutes` no session is created (empty token fields), as Stytch
 * documents for its other authenticate calls.
 */
import { Router } from 'express';
import { requireProjectAuth } from '../../basic-auth.ts';
import { findClient, isFirstParty } from '../../clients/model.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { isoTime, type AuthenticationFactor } from '../../identity/model.ts';
import { createSession } from '../../identity/sessions.ts';
import { verifyAccessToken } from '../../oauth/tokens.ts';

/** [DOC api/errors/404] */
const notFound = () => new StytchApiError(404, 'idp_access_token_not_found', 'The access token could not be found.');
/** [DOC api/errors/404] */
const cannotExchange = (why: string) => new StytchApiError(404, 'idp_access_token_could_not_be_exchanged', `The access token could not be exchanged: ${why}`);

export default function exchangeAccessTokenRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const path = ctx.projectType === 'b2b' ? '/v1/b2b/sessions/exchange_access_token' : '/v1/sessions/exchange_access_token';
  router.post(path, requireProjectAuth(ctx), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.access_token !== 'string' || !body.access_token) throw new StytchApiError(400, 'bad_request', 'access_token is required.');
    const live = await verifyAccessToken(ctx, body.access_token);
    if (!live) throw notFound();
    if (!live.token.scopes.includes('full_access')) throw cannotExchange('the token does not carry the full_access scope.');
    const client = findClient(ctx, live.token.client_id);
    if (!client || !isFirstParty(client) || !client.full_access_allowed)
      throw cannotExchange('the client is not a first-party client with full_access_allowed.');
    if (!live.grant.session_id) throw cannotExchange('the authorization was not made with a session (session_token or session_jwt).');

    const identity = live.identity;
    const factor: AuthenticationFactor = {
      type: 'oauth_access_token_exchange',
      delivery_method: 'oauth_access_token_exchange',
      last_authenticated_at: isoTime(ctx.now()),
      oauth_access_token_exchange_factor: { client_id: client.client_id },
    };
    const issued =
      body.session_duration_minutes === undefined
        ? undefined
        : await createSession(ctx, identity, body.session_duration_minutes as number, [factor], { customClaims: body.session_custom_claims });
    const tokens = { session_token: issued?.session_token ?? '', session_jwt: issued?.session_jwt ?? '' };
    if (identity.kind === 'user') {
      send(res, { user_id: identity.user.user_id, user: identity.user, ...tokens, ...(issued ? { session: issued.session } : {}) });
    } else {
      send(res, {
        member_id: identity.member.member_id,
        member: identity.member,
        organization: identity.organization,
        ...tokens,
        ...(issued ? { member_session: issued.session } : {}),
      });
    }
  });
  return router;
}
