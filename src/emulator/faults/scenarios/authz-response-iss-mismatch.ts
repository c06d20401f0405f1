import { defineScenario } from '../types.ts';

/** The redirect back to the client names another issuer: the sign of a mix-up attack (RFC 9207). */
export const authzResponseIssMismatch = defineScenario({
  name: 'authz-response-iss-mismatch',
  description: "The authorization response's `iss` parameter is not the issuer (the emulator appends `/wrong-issuer`).",
  rpMustDo: 'Reject the response without exchanging the code: it may come from another provider (RFC 9207 §2.4, mix-up defence).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'iss' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-invalid-authorization-response-iss',
  step: 'login',
  authorizationResponse(url) {
    url.searchParams.set('iss', `${url.searchParams.get('iss') ?? ''}/wrong-issuer`);
  },
});
