import { defineScenario } from '../types.ts';

/** An unsigned ID token (`alg: none`, empty signature). */
export const algNone = defineScenario({
  name: 'alg-none',
  description: 'The ID token header says `alg: none` and the signature is empty.',
  rpMustDo:
    'Reject the ID token. The OIDF module accepts either outcome (an unsigned token from the token endpoint is legal for a client registered for `none`); we expect rejection because the client pins RS256 (id_token_signed_response_alg), as Stytch signs.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'alg' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-idtoken-sig-none',
  step: 'login',
  idTokenCompact(jwt) {
    const [, payload] = jwt.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    return `${header}.${payload}.`;
  },
});
