/**
 * Refresh (RP-7): `refreshTokenGrant`, then the checks openid-client does not do: the new ID token must be about
 * the same person, from the same issuer, for the same client as the login's (OIDC Core §12.2), and meet the
 * app's ID token rules (typ, iat age, at_hash).
 */
import * as oidc from 'openid-client';
import { RpError } from '../errors.ts';
import type { SignedIn, TokenSet } from '../session-data.ts';
import { ID_TOKEN_ALG } from '../oidc/issuers.ts';
import { assertAppIdTokenRules, assertSameIdentity } from './id-token-rules.ts';
import { toTokenSet } from './tokens.ts';

export async function refreshTokens(config: oidc.Configuration, auth: SignedIn): Promise<{ tokens: TokenSet; idClaims: Record<string, unknown> }> {
  const refreshToken = auth.tokens.refreshToken;
  if (!refreshToken) throw new RpError('ERR_NO_REFRESH_TOKEN', 'no refresh token was issued for this session');
  const response = await oidc.refreshTokenGrant(config, refreshToken);
  const claims = response.claims() as Record<string, unknown> | undefined;
  if (claims && response.id_token) {
    assertSameIdentity(auth.original, claims);
    assertAppIdTokenRules(response.id_token, claims, response.access_token, ID_TOKEN_ALG);
  }
  return { tokens: toTokenSet(response, auth.tokens.scope, auth.tokens), idClaims: claims ?? auth.idClaims };
}
