import { defineScenario } from '../types.ts';

/** The ID token's header says it is another kind of JWT: an access token (RFC 9068). */
export const typNotJwt = defineScenario({
  name: 'typ-not-jwt',
  description: 'The ID token header has `typ: at+jwt` (the type of an access token, RFC 9068) instead of `JWT`.',
  rpMustDo:
    'Reject the ID token: its header says it is an access token, and explicit typing exists so that one kind of JWT is never taken for another (RFC 8725 §3.11). Stytch signs every token with `typ: JWT`, and its own SDKs refuse any other type. openid-client does not look at `typ` for ID tokens, so the application must.',
  expected: { outcome: 'reject', by: 'application', code: 'ERR_ID_TOKEN_TYPE' },
  origin: 'Stytch',
  conformanceModule: '(its tokens carry typ JWT, and its SDKs verify it; RFC 8725 §3.11)',
  step: 'login',
  idTokenHeader(header) {
    header.typ = 'at+jwt';
  },
});
