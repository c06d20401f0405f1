import { ORGANIZATION_CLAIM } from '../../identity/session-jwt.ts';
import { defineScenario } from '../types.ts';

/** A B2B access token that does not say which organization it belongs to. */
export const b2bAccessTokenNoOrganization = defineScenario({
  name: 'b2b-access-token-no-organization',
  description: `B2B projects: the access token has no \`${ORGANIZATION_CLAIM}\` claim.`,
  rpMustDo:
    "Sign in: an access token is opaque to the client (RFC 6749 §1.4), and the ID token is intact. It is the resource server that must refuse the token: the Stytch SDK's idp.introspectTokenLocal needs the organization claim on B2B projects.",
  expected: { outcome: 'accept' },
  origin: 'Stytch',
  conformanceModule: '(B2B access tokens carry the organization claim)',
  step: 'login',
  projectTypes: ['b2b'],
  accessTokenClaims(claims) {
    delete claims[ORGANIZATION_CLAIM];
  },
});
