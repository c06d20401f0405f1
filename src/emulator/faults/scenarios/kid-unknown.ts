import { defineScenario } from '../types.ts';

/** Signed with a real key, but the header names a `kid` that the JWKS does not publish. */
export const kidUnknown = defineScenario({
  name: 'kid-unknown',
  description: 'The ID token header carries a `kid` that is not in the JWKS (the signature itself is made with the active key).',
  rpMustDo: 'Refetch the JWKS (openid-client: at most once a minute), still find no such key, and reject the ID token.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_KEY_SELECTION_FAILED' },
  origin: 'OIDCC',
  conformanceModule: '(no module of its own: the failing half of oidcc-client-test-signing-key-rotation)',
  step: 'login',
  idTokenHeader(header) {
    header.kid = 'jwk-test-00000000-0000-4000-8000-00000000dead';
  },
});
