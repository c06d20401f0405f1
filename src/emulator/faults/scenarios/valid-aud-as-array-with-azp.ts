import { defineScenario } from '../types.ts';

/** The ID token is addressed to the client and another audience, and `azp` correctly names the client. */
export const validAudAsArrayWithAzp = defineScenario({
  name: 'valid-aud-as-array-with-azp',
  description: 'The ID token `aud` is an array of the client and a second audience, and `azp` is the client id.',
  rpMustDo:
    'Accept the ID token: `aud` may be an array that contains the client id, and with several audiences `azp` must be the client id, which it is (OIDC Core §2, §3.1.3.7 steps 3-5). The opposite case is invalid-secondary-aud.',
  expected: { outcome: 'accept' },
  origin: 'spec',
  conformanceModule: '(OIDC Core §3.1.3.7 steps 3-5; cf. OIDF fapi-rw-id2-client-test-valid-aud-as-array)',
  step: 'login',
  idTokenClaims(claims) {
    const clientId = [claims.aud ?? []].flat()[0];
    claims.aud = [...[claims.aud ?? []].flat(), 'https://another-audience.example'];
    if (clientId !== undefined) claims.azp = clientId;
  },
});
