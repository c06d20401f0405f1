import { defineScenario } from '../types.ts';

/** The ID token's `nonce` is not the one the client sent. */
export const nonceInvalid = defineScenario({
  name: 'nonce-invalid',
  description: 'The ID token `nonce` differs from the one in the authorization request (set even if none was sent).',
  rpMustDo: 'Reject the ID token: the nonce ties it to this login in this browser (OIDC Core §3.1.3.7 step 11).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', check: 'nonce' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-nonce-invalid',
  step: 'login',
  needsNonce: true,
  idTokenClaims(claims, { grantType }) {
    // Only the code exchange: a refreshed ID token carries no nonce at all (OIDC Core §12.2).
    if (grantType === 'authorization_code') claims.nonce = `${String(claims.nonce ?? '')}-not-the-nonce-you-sent`;
  },
});
