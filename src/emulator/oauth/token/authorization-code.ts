/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3). The checks run in this order, each in its own module:
 *   code exists → bound to this client → not used before (else: replay, revoke its grant) → redirect_uri →
 *   PKCE → resources (RFC 8707) → consume atomically → grant still live → person still exists → tokens.
 */
import { OAuthError } from '../../errors.ts';
import { consumeCode, findCode } from '../codes.ts';
import { activeGrant, revokeGrant } from '../grants.ts';
import { requiredParam, param } from '../params.ts';
import { tokenResources } from '../resources.ts';
import { identityOf } from '../subject.ts';
import { issueTokens } from '../tokens.ts';
import { checkCodeClient } from './checks/code-client.ts';
import { checkCodePkce } from './checks/code-pkce.ts';
import { checkCodeRedirectUri } from './checks/code-redirect-uri.ts';
import type { GrantHandler } from './types.ts';

const invalidCode = () => new OAuthError('invalid_grant', 'The authorization code is invalid, expired, or was issued to another client.');

export const authorizationCodeGrant: GrantHandler = async (ctx, req, { client }) => {
  const code = requiredParam(req, 'code');
  const redirectUri = param(req, 'redirect_uri');
  const verifier = param(req, 'code_verifier');

  const record = findCode(ctx, code);
  if (!record) throw invalidCode();
  checkCodeClient(record, client);
  const replay = () => {
    // RFC 6749 §4.1.2: a code used twice revokes every token issued from its first use.
    revokeGrant(ctx, record.grant_id, 'authorization code replayed');
    ctx.log.warn({ client_id: client.client_id, grant_id: record.grant_id }, 'authorization code used twice: grant revoked');
    return new OAuthError('invalid_grant', 'The authorization code has already been used; the tokens issued from it are revoked.');
  };
  if (record.consumed_at !== undefined) throw replay();
  checkCodeRedirectUri(record, redirectUri);
  checkCodePkce(record, verifier);
  const granted = activeGrant(ctx, record.grant_id);
  if (!granted) throw invalidCode();
  // Before the code is spent: a client that asks for the wrong resource can retry with the right one.
  const resources = tokenResources(req, granted);
  if (!consumeCode(ctx, code)) throw replay();

  const grant = activeGrant(ctx, record.grant_id);
  if (!grant) throw invalidCode();
  const identity = identityOf(ctx, grant.subject);
  if (!identity) throw new OAuthError('invalid_grant', 'The user or member of this authorization no longer exists.');
  return issueTokens(ctx, {
    client,
    grant,
    identity,
    scopes: grant.scopes,
    resources,
    grantType: 'authorization_code',
    nonce: record.nonce,
    issueRefreshToken: grant.scopes.includes('offline_access'),
  });
};
