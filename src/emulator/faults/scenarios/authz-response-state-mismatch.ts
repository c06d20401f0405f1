import { defineScenario } from '../types.ts';

/** The redirect back to the client carries a `state` the client never sent. */
export const authzResponseStateMismatch = defineScenario({
  name: 'authz-response-state-mismatch',
  description: "The authorization response's `state` differs from the one in the request.",
  rpMustDo: "Reject the response without exchanging the code: it does not answer this browser's login (RFC 6749 §10.12, CSRF).",
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'state' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-ensure-authorization-response-with-invalid-state-fails',
  step: 'login',
  authorizationResponse(url) {
    url.searchParams.set('state', `${url.searchParams.get('state') ?? ''}-not-the-state-you-sent`);
  },
});
