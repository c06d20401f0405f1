/**
 * Logout (RP-12): revoke the refresh token (which, per RFC 7009, also ends the grant's access tokens at
 * most providers) and the access token, then — only if the provider advertises `end_session_endpoint` — send the
 * browser there (RP-initiated logout). Revocation failures are reported but do not keep the session alive.
 */
import * as oidc from 'openid-client';
import { serverMetadataOf } from '../oidc/issuers.ts';
import type { ClientProfile } from '../profiles.ts';
import type { SignedIn } from '../session-data.ts';

export interface RevocationResult {
  token: 'refresh_token' | 'access_token';
  outcome: 'revoked' | 'failed' | 'unsupported';
  error?: unknown;
}

export async function revokeTokens(config: oidc.Configuration, tokens: SignedIn['tokens']): Promise<RevocationResult[]> {
  const results: RevocationResult[] = [];
  const supported = Boolean(serverMetadataOf(config).revocation_endpoint);
  const targets: Array<[RevocationResult['token'], string | undefined]> = [
    ['refresh_token', tokens.refreshToken],
    ['access_token', tokens.accessToken],
  ];
  for (const [hint, token] of targets) {
    if (!token) continue;
    if (!supported) {
      results.push({ token: hint, outcome: 'unsupported' });
      continue;
    }
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: hint });
      results.push({ token: hint, outcome: 'revoked' });
    } catch (error) {
      results.push({ token: hint, outcome: 'failed', error });
    }
  }
  return results;
}

/** The RP-initiated logout URL, when the provider supports it. */
export function endSessionUrl(config: oidc.Configuration, profile: ClientProfile, idToken: string): URL | undefined {
  if (!serverMetadataOf(config).end_session_endpoint) return undefined;
  return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: profile.postLogoutRedirectUri });
}
