import type { FaultScenario } from '../types.ts';

/** On refresh, the new ID token is about someone else. */
export const refreshInvalidSub: FaultScenario = {
  name: 'refresh-invalid-sub',
  description: 'The ID token returned by the refresh_token grant has a different `sub` from the original one.',
  rpMustDo: 'Compare iss/sub/aud of the refreshed ID token with the original and reject it (OIDC Core §12.2); openid-client does not do this for you.',
  conformanceModule: 'oidcc-client-test-refresh-token-invalid-sub',
  idTokenClaims(claims, { grantType }) {
    if (grantType === 'refresh_token') claims.sub = `${String(claims.sub)}-someone-else`;
  },
};
