import { defineScenario } from '../types.ts';

/** `token_type` in another case than usual, which RFC 6749 makes case-insensitive. */
export const tokenTypeCase = defineScenario({
  name: 'token-type-case',
  description: 'The token response says `token_type: "Bearer"` (Stytch sends lower case).',
  rpMustDo: 'Accept the response: token_type is case-insensitive (RFC 6749 §5.1, §7.1).',
  expected: { outcome: 'accept' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-token-type-case-insensitivity',
  step: 'login',
  tokenResponse(body) {
    body.token_type = 'Bearer';
  },
});
