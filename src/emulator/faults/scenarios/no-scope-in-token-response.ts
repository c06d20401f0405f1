import { defineScenario } from '../types.ts';

/** The token response leaves `scope` out, which RFC 6749 allows when the granted scope is the requested one. */
export const noScopeInTokenResponse = defineScenario({
  name: 'no-scope-in-token-response',
  description: 'The token response has no `scope` (the grant is exactly the scope the client requested).',
  rpMustDo:
    'Accept the response, and take the granted scope to be the requested one: `scope` is OPTIONAL when it is identical to the scope requested (RFC 6749 §5.1, §3.3).',
  expected: { outcome: 'accept' },
  origin: 'spec',
  conformanceModule: '(RFC 6749 §5.1: scope is optional when it equals the requested scope)',
  step: 'login',
  tokenResponse(body) {
    delete body.scope;
  },
});
