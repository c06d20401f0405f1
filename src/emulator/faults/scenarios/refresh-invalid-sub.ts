import { defineScenario } from '../types.ts';

/** On refresh, the new ID token is about someone else. */
export const refreshInvalidSub = defineScenario({
  name: 'refresh-invalid-sub',
  description: 'The ID token returned by the refresh_token grant has a different `sub` from the original one.',
  rpMustDo:
    'Reject the refreshed ID token and end the session: iss, sub and aud must stay those of the login (OIDC Core §12.2). openid-client validates each token on its own and does not compare them, so the application must.',
  expected: { outcome: 'reject', by: 'application', code: 'ERR_REFRESHED_ID_TOKEN_MISMATCH' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-refresh-token-invalid-sub',
  step: 'refresh',
  idTokenClaims(claims, { grantType }) {
    if (grantType === 'refresh_token') claims.sub = `${String(claims.sub)}-someone-else`;
  },
});
