import type { FaultScenario } from '../types.ts';

/** The ID token is addressed to another client. */
export const invalidAud: FaultScenario = {
  name: 'invalid-aud',
  description: 'The ID token `aud` names another client, not the one that asked for it.',
  rpMustDo: 'Reject the ID token (OIDC Core §3.1.3.7 step 3); openid-client: OAUTH_JWT_CLAIM_COMPARISON_FAILED on "aud".',
  conformanceModule: 'oidcc-client-test-invalid-aud',
  idTokenClaims(claims) {
    claims.aud = ['connected-app-test-00000000-0000-4000-8000-0000000a0d00'];
  },
};
