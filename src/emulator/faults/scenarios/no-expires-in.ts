import { defineScenario } from '../types.ts';

/** The token response does not say when the access token expires (the field is only RECOMMENDED). */
export const noExpiresIn = defineScenario({
  name: 'no-expires-in',
  description: 'The token response has no `expires_in`.',
  rpMustDo: 'Accept the response: expires_in is RECOMMENDED, not required (RFC 6749 §5.1); treat the expiry as unknown.',
  expected: { outcome: 'accept' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-token-endpoint-response-without-expires_in',
  step: 'login',
  tokenResponse(body) {
    delete body.expires_in;
  },
});
