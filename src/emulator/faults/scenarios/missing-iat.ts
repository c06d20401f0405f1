import { defineScenario } from '../types.ts';

/** The ID token does not say when it was issued. */
export const missingIat = defineScenario({
  name: 'missing-iat',
  description: 'The ID token has no `iat` claim.',
  rpMustDo: 'Reject the ID token: `iat` is required (OIDC Core §2).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'iat' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-missing-iat',
  step: 'login',
  idTokenClaims(claims) {
    delete claims.iat;
  },
});
