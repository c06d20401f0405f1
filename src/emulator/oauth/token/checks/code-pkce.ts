import { OAuthError } from '../../../errors.ts';
import type { CodeRecord } from '../../codes.ts';
import { isValidVerifier, verifierMatches } from '../../pkce.ts';

/**
 * AS-5 / cat. AS-14, as node-oidc-provider's `if (verifier || challenge)`:
 * - a verifier outside RFC 7636's ABNF (43–128 of `[A-Za-z0-9-._~]`) → invalid_request;
 * - a code with a challenge and no verifier, or a verifier that does not match → invalid_grant;
 * - a verifier for a code issued without a challenge → invalid_grant (no PKCE downgrade, RFC 9700 §2.1.1).
 */
export function checkCodePkce(code: CodeRecord, verifier: string | undefined): void {
  if (verifier === undefined && code.code_challenge === undefined) return;
  if (verifier !== undefined && !isValidVerifier(verifier)) {
    throw new OAuthError(400, 'invalid_request', 'The code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).');
  }
  if (code.code_challenge === undefined)
    throw new OAuthError(400, 'invalid_grant', 'A code_verifier was sent for an authorization code issued without a code_challenge.');
  if (verifier === undefined)
    throw new OAuthError(400, 'invalid_grant', 'The code_verifier is missing: this authorization code was issued with a code_challenge.');
  if (!verifierMatches(verifier, code.code_challenge)) throw new OAuthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
}
