import { defineScenario } from '../types.ts';

/** The ID token names another issuer than the one in discovery. */
export const invalidIss = defineScenario({
  name: 'invalid-iss',
  description: 'The ID token `iss` is not the discovery `issuer` (the emulator appends `/wrong-issuer`).',
  rpMustDo: 'Reject the ID token: `iss` must be exactly the issuer (OIDC Core §3.1.3.7 step 2).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', check: 'iss' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-invalid-iss',
  step: 'login',
  idTokenClaims(claims, { issuer }) {
    claims.iss = `${issuer}/wrong-issuer`;
  },
});
