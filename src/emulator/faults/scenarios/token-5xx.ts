import { OAuthError } from '../../errors.ts';
import { defineScenario } from '../types.ts';

/** The token endpoint fails with a server error. */
export const token5xx = defineScenario({
  name: 'token-5xx',
  description: 'The token endpoint answers HTTP 500 `server_error` without touching the grant.',
  rpMustDo:
    'Show an error page that says the provider failed; do not retry the same code in a loop. (openid-client reads OAuth error bodies of 4xx answers only.)',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_RESPONSE_IS_NOT_CONFORM' },
  origin: 'operational',
  conformanceModule: '(none: an operational fault)',
  step: 'login',
  beforeToken() {
    throw new OAuthError(500, 'server_error', 'Injected fault token-5xx: the token endpoint failed on purpose.');
  },
});
