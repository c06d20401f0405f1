/**
 * The errors the auth-server raises, as RFC 6749 §4.1.2.1 requires two kinds:
 * - `PageError`: rendered as an HTML page. Used whenever the client or its redirect_uri cannot be trusted
 *   (never redirect to an unverified URI), and for everything that is not an OAuth outcome.
 * - `OAuthRedirectError`: sent back to the client's redirect_uri with `error`, `state` and `iss`. It can only
 *   be built with a `RedirectTarget`, which only exists once the redirect_uri has been verified.
 */
import { CodedError } from '../../../src/shared/errors.ts';
import type { RedirectTarget } from '../authorize/redirect-target.ts';

export type PageErrorCode =
  | 'missing_client_id'
  | 'missing_redirect_uri'
  | 'malformed_redirect_uri'
  | 'duplicate_parameter'
  | 'unknown_client'
  | 'invalid_client'
  | 'logout_not_supported'
  | 'unregistered_redirect_uri'
  | 'csrf_invalid'
  | 'transaction_not_found'
  | 'session_expired'
  | 'session_changed'
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'stytch_unavailable'
  | 'stytch_misconfigured'
  | 'stytch_rate_limited'
  | 'rate_limited'
  | 'stytch_error'
  | 'internal_error';

/** Values that fill in a page's message. Rendered escaped, like everything else. */
export interface PageErrorDetails {
  clientId?: string;
  redirectUri?: string;
  registered?: string[];
  parameter?: string;
  requestId?: string;
  /** Why Stytch refused the client (its error message), e.g. an unusable Client ID Metadata Document. */
  reason?: string;
}

export class PageError extends CodedError<PageErrorCode> {
  constructor(
    code: PageErrorCode,
    readonly details: PageErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(code, code, options);
  }
}

/** OAuth 2.0 / OIDC error codes the auth-server itself sends back to a client. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  /** RFC 8707 §2: a malformed `resource`. */
  | 'invalid_target';

export class OAuthRedirectError extends CodedError<OAuthErrorCode> {
  constructor(
    code: OAuthErrorCode,
    readonly target: RedirectTarget,
    readonly description: string,
  ) {
    super(code, description);
  }
}
