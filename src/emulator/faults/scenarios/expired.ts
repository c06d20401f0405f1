import { defineScenario } from '../types.ts';

/** An ID token that expired ten minutes ago (beyond any sensible clock tolerance). */
export const expired = defineScenario({
  name: 'expired',
  description: 'The ID token `exp` is 10 minutes in the past (`iat` and `nbf` 70 minutes in the past).',
  rpMustDo: 'Reject the ID token: it has expired (OIDC Core §3.1.3.7 step 9; openid-client allows 30 s of clock skew).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED', check: 'exp' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-invalid-expired-exp',
  step: 'login',
  idTokenClaims(claims, { now }) {
    claims.iat = now - 70 * 60;
    claims.nbf = now - 70 * 60;
    claims.exp = now - 10 * 60;
  },
});
