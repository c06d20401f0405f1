import { withScenarioKey, scenarioKey } from '../scenario-keys.ts';
import { defineScenario } from '../types.ts';

/**
 * No `kid` in the header, and two keys published: the client cannot tell which one signed. The token is
 * signed with a second key of the scenario's own (published next to the project's key), not the project's
 * key, so that a client still holding an older key set also fails (its one key does not verify) instead of
 * passing by luck.
 */
export const kidAbsentMultipleJwks = defineScenario({
  name: 'kid-absent-multiple-jwks',
  description: 'The ID token header has no `kid`; the JWKS publishes two RSA keys, and the token is signed with the second one.',
  rpMustDo:
    'Reject the ID token: no `kid` and several candidate keys. The OIDF module also passes a client that tries each key; we expect rejection, as openid-client does.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_KEY_SELECTION_FAILED' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-kid-absent-multiple-jwks',
  step: 'login',
  async onActivate(ctx) {
    await scenarioKey(ctx, 'kid-absent-multiple-jwks');
  },
  idTokenKey(ctx) {
    return scenarioKey(ctx, 'kid-absent-multiple-jwks');
  },
  idTokenHeader(header) {
    header.kid = undefined;
  },
  jwks(keys, ctx) {
    return withScenarioKey(ctx, 'kid-absent-multiple-jwks', keys);
  },
});
