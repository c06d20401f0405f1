import { defineScenario } from '../types.ts';

/** On refresh, the new ID token names another issuer. */
export const refreshInvalidIss = defineScenario({
  name: 'refresh-invalid-iss',
  description: 'The ID token returned by the refresh_token grant has another `iss` (the emulator appends `/wrong-issuer`).',
  rpMustDo: 'Reject the refreshed ID token and end the session (OIDC Core §12.2: iss must be the same as at login).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', check: 'iss' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-refresh-token-invalid-issuer',
  step: 'refresh',
  idTokenClaims(claims, { grantType, issuer }) {
    if (grantType === 'refresh_token') claims.iss = `${issuer}/wrong-issuer`;
  },
});
