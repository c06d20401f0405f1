import type { FaultScenario } from '../types.ts';

/** The ID token's `nonce` is not the one the client sent. */
export const nonceInvalid: FaultScenario = {
  name: 'nonce-invalid',
  description: 'The ID token `nonce` differs from the one in the authorization request (set even if none was sent).',
  rpMustDo: 'Reject the ID token (OIDC Core §3.1.3.7 step 11); openid-client: OAUTH_JWT_CLAIM_COMPARISON_FAILED on "nonce".',
  conformanceModule: 'oidcc-client-test-nonce-invalid',
  idTokenClaims(claims, { grantType }) {
    // Only the code exchange: a refreshed ID token carries no nonce at all (OIDC Core §12.2).
    if (grantType === 'authorization_code') claims.nonce = `${String(claims.nonce ?? '')}-not-the-nonce-you-sent`;
  },
};
