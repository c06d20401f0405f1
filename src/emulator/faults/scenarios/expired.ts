import type { FaultScenario } from '../types.ts';

/** An ID token that expired ten minutes ago (beyond any sensible clock tolerance). */
export const expired: FaultScenario = {
  name: 'expired',
  description: 'The ID token `exp` is 10 minutes in the past (`iat` and `nbf` 70 minutes in the past).',
  rpMustDo: 'Reject the ID token (OIDC Core §3.1.3.7 step 9); openid-client: OAUTH_JWT_TIMESTAMP_CHECK_FAILED on "exp".',
  conformanceModule: 'fapi2-security-profile-final-client-test-invalid-expired-exp',
  idTokenClaims(claims, { now }) {
    claims.iat = now - 70 * 60;
    claims.nbf = now - 70 * 60;
    claims.exp = now - 10 * 60;
  },
};
