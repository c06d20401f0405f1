import { defineScenario } from '../types.ts';

const WEEK_SECONDS = 7 * 24 * 3600;

/** An ID token issued a week ago that has not expired yet: a token kept for replay, or a broken clock. */
export const iatWeekInPast = defineScenario({
  name: 'iat-week-in-past',
  description: 'The ID token `iat` (and `nbf`) is a week in the past; `exp` is still in the future.',
  rpMustDo:
    'Reject the ID token as issued too long ago (OIDC Core §3.1.3.7 step 10 lets the client limit the age; FAPI requires it). openid-client limits `iat` to one hour only for ID tokens from the authorization endpoint (hybrid flow), so in the code flow the application must check.',
  expected: { outcome: 'reject', by: 'application', code: 'ERR_ID_TOKEN_TOO_OLD' },
  origin: 'FAPI',
  conformanceModule: 'fapi1-advanced-final-client-test-iat-is-week-in-past',
  step: 'login',
  idTokenClaims(claims, { now }) {
    claims.iat = now - WEEK_SECONDS;
    claims.nbf = now - WEEK_SECONDS;
  },
});
