import { defineScenario } from '../types.ts';

/** The ID token says nothing about who logged in. */
export const missingSub = defineScenario({
  name: 'missing-sub',
  description: 'The ID token has no `sub` claim.',
  rpMustDo: 'Reject the ID token: `sub` is required (OIDC Core §2), and without it nobody can be signed in.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'sub' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-missing-sub',
  step: 'login',
  idTokenClaims(claims) {
    delete claims.sub;
  },
});
