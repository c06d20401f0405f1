import { scenarioKey, withScenarioKey } from '../scenario-keys.ts';
import { defineScenario } from '../types.ts';

/**
 * The provider rotates its signing key the way it should: the new key is published in the JWKS first (when
 * the scenario is switched on), then signs, and the old key stays published. The new key is the scenario's
 * own and signs only this client's ID tokens, so the project's keys (and every other client) are untouched.
 */
export const signingKeyRotation = defineScenario({
  name: 'signing-key-rotation',
  description:
    "When switched on, the project publishes a new signing key next to the old one; from then on this client's ID tokens are signed with the new key (its `kid`).",
  rpMustDo:
    'Accept the ID token: fetch the JWKS again for a `kid` it has not seen. openid-client refetches at most once a minute, so a client that fetched the JWKS less than a minute ago fails (AS-14).',
  expected: { outcome: 'accept' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-signing-key-rotation',
  step: 'login',
  needsJwksRefetch: true,
  async onActivate(ctx) {
    // Published before anything is signed with it.
    const key = await scenarioKey(ctx, 'signing-key-rotation');
    ctx.log.warn({ kid: key.kid }, 'FAULT INJECTED: signing-key-rotation published a new signing key');
  },
  idTokenKey(ctx) {
    return scenarioKey(ctx, 'signing-key-rotation');
  },
  jwks(keys, ctx) {
    return withScenarioKey(ctx, 'signing-key-rotation', keys);
  },
});
