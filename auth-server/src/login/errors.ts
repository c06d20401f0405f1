/** Why a login attempt failed; shown on the login page itself (texts keyed on the code in views/login.ts). */
import { CodedError } from '../../../src/shared/errors.ts';

export type LoginErrorCode = 'invalid_credentials' | 'organization_required' | 'missing_fields' | 'mfa_required' | 'rate_limited';

export const LOGIN_ERROR_STATUS: Record<LoginErrorCode, number> = {
  invalid_credentials: 401,
  organization_required: 400,
  missing_fields: 400,
  mfa_required: 403,
  rate_limited: 429,
};

export class LoginError extends CodedError<LoginErrorCode> {
  constructor(code: LoginErrorCode, options?: { cause?: unknown }) {
    super(code, code, options);
  }
}
