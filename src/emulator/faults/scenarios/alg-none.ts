import type { FaultScenario } from '../types.ts';

/** An unsigned ID token (`alg: none`, empty signature). */
export const algNone: FaultScenario = {
  name: 'alg-none',
  description: 'The ID token header says `alg: none` and the signature is empty.',
  rpMustDo: 'Reject the ID token: RS256 is pinned (id_token_signed_response_alg), `none` is never acceptable in the code flow here.',
  conformanceModule: 'oidcc-client-test-idtoken-sig-none',
  idTokenCompact(jwt) {
    const [, payload] = jwt.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    return `${header}.${payload}.`;
  },
};
