import { defineScenario } from '../types.ts';

/** The redirect back to the client drops the `state` the client sent. */
export const authzResponseStateMissing = defineScenario({
  name: 'authz-response-state-missing',
  description: 'The authorization response has no `state`, although the request sent one.',
  rpMustDo: 'Reject the response without exchanging the code: `state` is required when the request had one (RFC 6749 §4.1.2).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'state' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-ensure-authorization-response-with-invalid-missing-state-fails',
  step: 'login',
  authorizationResponse(url) {
    url.searchParams.delete('state');
  },
});
