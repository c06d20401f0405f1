/**
 * The code exchange (RP-2, RP-3, RP-4, RP-5): openid-client validates the authorization response (`iss` per
 * RFC 9207, `state`), sends the code with the PKCE verifier to the token endpoint, and validates the ID token
 * (signature, alg, iss, aud, azp, exp, iat, nonce). It gets the full callback URL so that no parameter is lost.
 */
import * as oidc from 'openid-client';
import type { PendingLogin } from '../session-data.ts';

/** The URL the provider redirected to: the registered redirect URI with the query the browser brought. */
export function callbackUrl(redirectUri: string, originalUrl: string): URL {
  const url = new URL(redirectUri);
  url.search = new URL(originalUrl, url).search;
  return url;
}

export function exchangeCode(config: oidc.Configuration, pending: PendingLogin, currentUrl: URL) {
  return oidc.authorizationCodeGrant(config, currentUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
}
