import { defineScenario } from '../types.ts';

/** The ID token is addressed to nobody. */
export const missingAud = defineScenario({
  name: 'missing-aud',
  description: 'The ID token has no `aud` claim.',
  rpMustDo: 'Reject the ID token: `aud` is required and must contain the client id (OIDC Core §3.1.3.7 step 3).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'aud' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-missing-aud',
  step: 'login',
  idTokenClaims(claims) {
    delete claims.aud;
  },
});
