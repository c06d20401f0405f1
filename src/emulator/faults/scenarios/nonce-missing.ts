import { defineScenario } from '../types.ts';

/** The client sent a nonce; the ID token of the code exchange does not echo it. */
export const nonceMissing = defineScenario({
  name: 'nonce-missing',
  description: 'The ID token of the code exchange has no `nonce`, although the authorization request sent one.',
  rpMustDo: 'Reject the ID token: when a nonce was sent it must come back unchanged (OIDC Core §3.1.3.7 step 11).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'nonce' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-invalid-missing-nonce',
  step: 'login',
  needsNonce: true,
  idTokenClaims(claims, { grantType }) {
    if (grantType === 'authorization_code') delete claims.nonce;
  },
});
