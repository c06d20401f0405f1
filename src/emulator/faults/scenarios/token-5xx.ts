import { OAuthError } from '../../errors.ts';
import type { FaultScenario } from '../types.ts';

/** The token endpoint fails with a server error. */
export const token5xx: FaultScenario = {
  name: 'token-5xx',
  description: 'The token endpoint answers HTTP 500 `server_error` without touching the grant.',
  rpMustDo: 'Show an error page that says the authorization server failed; do not retry the same code in a loop.',
  conformanceModule: '(none: operational fault)',
  beforeToken() {
    throw new OAuthError(500, 'server_error', 'Injected fault token-5xx: the token endpoint failed on purpose.');
  },
};
