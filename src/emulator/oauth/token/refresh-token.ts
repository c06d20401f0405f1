/**
 * `grant_type=refresh_token` (RFC 6749 §6; AS-8; ST-TOKEN):
 * - bound to its client: another client's token is `invalid_grant` and stays valid for its owner;
 * - `scope` may narrow, never widen (`invalid_scope`); omitted = the original grant;
 * - `resource` likewise (RFC 8707 §2.2: `invalid_target`); omitted = the resources of the grant;
 * - public clients: rotation; presenting a rotated token again is reuse and revokes the whole grant;
 * - confidential clients: no rotation, no `refresh_token` in the response; each use extends its life.
 */
import { isPublicClient } from '../../clients/model.ts';
import { OAuthError } from '../../errors.ts';
import { activeGrant, findRefreshToken, markRefreshToken, revokeGrant } from '../grants.ts';
import { param, requiredParam } from '../params.ts';
import { tokenResources } from '../resources.ts';
import { splitScope } from '../scopes.ts';
import { identityOf } from '../subject.ts';
import { issueTokens, REFRESH_TOKEN_LIFETIME_SECONDS } from '../tokens.ts';
import type { GrantHandler } from './types.ts';

const invalidRefreshToken = () => new OAuthError('invalid_grant', 'The refresh token is invalid, expired, revoked, or was issued to another client.');

export const refreshTokenGrant: GrantHandler = async (ctx, req, { client }) => {
  const presented = requiredParam(req, 'refresh_token');
  const requestedScope = param(req, 'scope');

  const found = findRefreshToken(ctx, presented);
  if (!found || found.record.client_id !== client.client_id) throw invalidRefreshToken();
  if (found.record.status === 'rotated') {
    revokeGrant(ctx, found.record.grant_id, 'rotated refresh token reused');
    ctx.log.warn({ client_id: client.client_id, grant_id: found.record.grant_id }, 'rotated refresh token presented again: grant revoked');
    throw new OAuthError('invalid_grant', 'The refresh token was already used and has been replaced; the whole grant is now revoked.');
  }
  const grant = activeGrant(ctx, found.record.grant_id);
  if (!grant) throw invalidRefreshToken();

  let scopes = grant.scopes;
  if (requestedScope !== undefined) {
    const requested = splitScope(requestedScope);
    const wider = requested.filter((s) => !grant.scopes.includes(s));
    if (wider.length) throw new OAuthError('invalid_scope', `A refresh cannot add scopes that were not granted: ${wider.join(' ')}.`);
    scopes = grant.scopes.filter((s) => requested.includes(s));
  }
  const resources = tokenResources(req, grant);
  const identity = identityOf(ctx, grant.subject);
  if (!identity) throw new OAuthError('invalid_grant', 'The user or member of this authorization no longer exists.');

  const rotate = isPublicClient(client);
  if (rotate) markRefreshToken(ctx, found.id, { status: 'rotated' });
  else markRefreshToken(ctx, found.id, { expires_at: ctx.now() + REFRESH_TOKEN_LIFETIME_SECONDS });
  // A kept refresh token is in effect issued again with this response's access token (see revokeRefreshToken).
  return issueTokens(ctx, {
    client,
    grant,
    identity,
    scopes,
    resources,
    grantType: 'refresh_token',
    issueRefreshToken: rotate,
    ...(rotate ? {} : { keptRefreshTokenId: found.id }),
  });
};
