import type { FaultScenario } from '../types.ts';

/** The ID token names another issuer than the one in discovery. */
export const invalidIss: FaultScenario = {
  name: 'invalid-iss',
  description: 'The ID token `iss` is not the discovery `issuer` (the emulator appends `/wrong-issuer`).',
  rpMustDo: 'Reject the ID token (OIDC Core §3.1.3.7 step 2); openid-client: OAUTH_JWT_CLAIM_COMPARISON_FAILED on "iss".',
  conformanceModule: 'oidcc-client-test-invalid-iss',
  idTokenClaims(claims, { issuer }) {
    claims.iss = `${issuer}/wrong-issuer`;
  },
};
