import { defineScenario } from '../types.ts';

/** The ID token is addressed to another client. */
export const invalidAud = defineScenario({
  name: 'invalid-aud',
  description: 'The ID token `aud` names another client, not the one that asked for it.',
  rpMustDo:
    'Reject the ID token: `aud` must contain the client id (OIDC Core §3.1.3.7 step 3); otherwise a token issued to another app could sign someone in here.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', check: 'aud' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-invalid-aud',
  step: 'login',
  idTokenClaims(claims) {
    claims.aud = ['connected-app-test-00000000-0000-4000-8000-0000000a0d00'];
  },
});
