import { defineScenario } from '../types.ts';

/** A correctly formed RS256 ID token whose signature bytes were altered after signing. */
export const invalidSigRs256 = defineScenario({
  name: 'invalid-sig-rs256',
  description: 'The ID token is RS256 with a published `kid`, but its signature does not verify (bytes flipped after signing).',
  rpMustDo:
    'Reject the ID token. openid-client checks the signature of a token-endpoint ID token only with `enableNonRepudiationChecks` (its default trusts the TLS channel, OIDC Core §3.1.3.7 step 6): without it this is accepted.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_INVALID_RESPONSE', check: 'signature' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-invalid-sig-rs256',
  step: 'login',
  idTokenCompact(jwt) {
    const [header, payload, signature = ''] = jwt.split('.');
    const bytes = Buffer.from(signature, 'base64url');
    // Flip bits in the middle: the length and the encoding stay valid, only the RSA check fails.
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    return `${header}.${payload}.${bytes.toString('base64url')}`;
  },
});
