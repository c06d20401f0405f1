import { defineScenario } from '../types.ts';

/** The ID token is addressed to the client and to someone else, without saying who it was issued to. */
export const invalidSecondaryAud = defineScenario({
  name: 'invalid-secondary-aud',
  description: 'The ID token `aud` lists the client and a second, untrusted audience, and there is no `azp`.',
  rpMustDo:
    'Reject the ID token: an extra audience the client does not trust, with no `azp` naming the client (OIDC Core §3.1.3.7 steps 3-5; openid-client keeps the stricter reading of the errata).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', check: 'aud' },
  origin: 'FAPI',
  conformanceModule: 'fapi2-security-profile-final-client-test-invalid-secondary-aud',
  step: 'login',
  idTokenClaims(claims) {
    claims.aud = [...[claims.aud ?? []].flat(), 'https://untrusted-audience.example'];
    delete claims.azp;
  },
});
