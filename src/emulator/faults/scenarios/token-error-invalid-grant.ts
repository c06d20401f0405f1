import { OAuthError } from '../../errors.ts';
import { defineScenario } from '../types.ts';

/** The token endpoint refuses the code, as it does for a used, expired or stolen one. */
export const tokenErrorInvalidGrant = defineScenario({
  name: 'token-error-invalid-grant',
  description: 'The token endpoint answers HTTP 400 `invalid_grant` without touching the grant.',
  rpMustDo: 'Show the OAuth error, keep no half-finished login, and do not retry the code (RFC 6749 §5.2).',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_RESPONSE_BODY_ERROR', check: 'invalid_grant' },
  origin: 'operational',
  conformanceModule: '(none: an error every client meets, RFC 6749 §5.2)',
  step: 'login',
  beforeToken() {
    throw new OAuthError('invalid_grant', 'Injected fault token-error-invalid-grant: the code was refused on purpose.');
  },
});
