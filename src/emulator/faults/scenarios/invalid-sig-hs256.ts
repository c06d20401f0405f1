import { SignJWT, decodeJwt } from 'jose';
import { defineScenario } from '../types.ts';

/**
 * The ID token is an HMAC (HS256) keyed with the client's own secret: a client that lets the token's header
 * pick the algorithm would "verify" it with its secret, so anyone holding that secret could forge logins.
 */
export const invalidSigHs256 = defineScenario({
  name: 'invalid-sig-hs256',
  description: 'The ID token is signed with HS256, keyed with the client secret presented at the token endpoint (with the client id for a public client).',
  rpMustDo: 'Reject the ID token: RS256 is pinned, and the token header does not get to choose the algorithm (RFC 8725 §3.1).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'alg' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-invalid-sig-hs256',
  step: 'login',
  async tokenResponse(body, { presentedSecret }) {
    if (typeof body.id_token !== 'string') return;
    const claims = decodeJwt(body.id_token);
    const key = new TextEncoder().encode(presentedSecret ?? String(claims.aud));
    body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  },
});
