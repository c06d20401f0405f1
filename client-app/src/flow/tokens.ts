/** Turns a validated token endpoint response into what the session keeps. */
import type * as oidc from 'openid-client';
import { RpError } from '../errors.ts';
import type { TokenSet } from '../session-data.ts';

type TokenResponse = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

/**
 * `previous` fills what a refresh response may omit: confidential clients keep their refresh token (no rotation
 * at Stytch), and a missing `scope` means the scope did not change (RP-8).
 */
export function toTokenSet(response: TokenResponse, requestedScope: string, previous?: TokenSet, now = Date.now()): TokenSet {
  const idToken = response.id_token ?? previous?.idToken;
  if (!idToken) throw new RpError('ERR_ID_TOKEN_MISSING', 'the token response has no id_token');
  const expiresIn = response.expiresIn();
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    idToken,
    tokenType: response.token_type,
    expiresAt: expiresIn === undefined ? undefined : now + expiresIn * 1000,
    scope: response.scope ?? previous?.scope ?? requestedScope,
  };
}
