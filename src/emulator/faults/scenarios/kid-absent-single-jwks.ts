import { defineScenario } from '../types.ts';

/** No `kid` in the header, and exactly one key published: there is no doubt which key verifies. */
export const kidAbsentSingleJwks = defineScenario({
  name: 'kid-absent-single-jwks',
  description:
    'The ID token header has no `kid`, and the JWKS publishes only the signing key (any other published key is hidden while this runs, for the whole project).',
  rpMustDo: 'Accept the ID token: with a single candidate key a `kid` is not needed (OIDC Core §10.1).',
  expected: { outcome: 'accept' },
  origin: 'OIDCC',
  conformanceModule: 'oidcc-client-test-kid-absent-single-jwks',
  step: 'login',
  idTokenHeader(header) {
    header.kid = undefined;
  },
  jwks(keys, ctx) {
    return keys.filter((k) => k.kid === ctx.keys.active.kid);
  },
});
