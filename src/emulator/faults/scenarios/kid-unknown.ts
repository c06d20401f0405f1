import type { FaultScenario } from '../types.ts';

/** Signed with a real key, but the header names a `kid` that the JWKS does not publish. */
export const kidUnknown: FaultScenario = {
  name: 'kid-unknown',
  description: 'The ID token header carries a `kid` that is not in the JWKS (the signature itself is made with the active key).',
  rpMustDo: 'Refetch the JWKS once, still find no key, and reject the ID token; openid-client: OAUTH_KEY_SELECTION_FAILED.',
  conformanceModule: 'oidcc-client-test-kid-absent-multiple-jwks (closest: key selection must fail)',
  idTokenHeader(header) {
    header.kid = 'jwk-test-00000000-0000-4000-8000-00000000dead';
  },
};
