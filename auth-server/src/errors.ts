/**
 * Every error the auth-server shows, and the one middleware that turns them into responses.
 *
 * Two kinds, as RFC 6749 §4.1.2.1 requires:
 * - `PageError`: rendered here as an HTML page. Used whenever the client or its redirect_uri cannot be
 *   trusted (never redirect to an unverified URI), and for everything that is not an OAuth outcome.
 * - `OAuthRedirectError`: sent back to the client's redirect_uri with `error`, `state` and `iss`. It can only
 *   be built with a `RedirectTarget`, which only exists once the redirect_uri has been verified.
 *
 * Texts shown to people are keyed on the code, never on an exception's message.
 */
import type { ErrorRequestHandler } from 'express';
import { CodedError } from '../../src/shared/errors.ts';
import type { RedirectTarget } from './authorize/redirect-target.ts';
import { StytchCallError } from './stytch/errors.ts';
import { errorPage } from './views/error.ts';
import type { ViewContext } from './views/layout.ts';

export type PageErrorCode =
  | 'missing_client_id'
  | 'missing_redirect_uri'
  | 'malformed_redirect_uri'
  | 'duplicate_parameter'
  | 'unknown_client'
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

export interface PageErrorText {
  status: number;
  title: string;
  /** What went wrong, for the person in front of the browser. */
  message: (d: PageErrorDetails) => string;
  /** How to fix it, for the developer of the Connected App or the operator of this server. */
  fix?: (d: PageErrorDetails) => string;
}

const list = (values: string[] | undefined) => (values && values.length > 0 ? values.join(', ') : '(none)');

export const PAGE_ERRORS: Record<PageErrorCode, PageErrorText> = {
  missing_client_id: {
    status: 400,
    title: 'This sign-in link is incomplete',
    message: () => 'The authorization request has no client_id, so there is no application to sign in to.',
    fix: () => "Send client_id with the Connected App's client ID from the Stytch Dashboard.",
  },
  missing_redirect_uri: {
    status: 400,
    title: 'This sign-in link is incomplete',
    message: (d) => `The authorization request for client ${d.clientId} has no redirect_uri.`,
    fix: () => 'Send redirect_uri with one of the redirect URLs registered for the Connected App.',
  },
  malformed_redirect_uri: {
    status: 400,
    title: 'This sign-in link is not valid',
    message: (d) => `redirect_uri ${d.redirectUri} is not an absolute URL without a fragment.`,
    fix: () => 'Send redirect_uri exactly as registered for the Connected App, e.g. https://app.example.com/callback.',
  },
  duplicate_parameter: {
    status: 400,
    title: 'This sign-in link is not valid',
    message: (d) => `The parameter ${d.parameter} appears more than once in the authorization request.`,
    fix: () => 'Send each OAuth parameter once (RFC 6749 §3.1).',
  },
  unknown_client: {
    status: 400,
    title: 'Unknown application',
    message: (d) => `client_id ${d.clientId} does not belong to any Connected App of this project.`,
    fix: () => "Check the client ID in the Connected App's settings in the Stytch Dashboard, and that the app points to the right project.",
  },
  unregistered_redirect_uri: {
    status: 400,
    title: "This application's redirect URL is not registered",
    message: (d) => `redirect_uri ${d.redirectUri} is not registered for client ${d.clientId}.`,
    fix: (d) =>
      `Registered redirect URLs: ${list(d.registered)}. Add this exact URL to the Connected App in the Stytch Dashboard ` +
      '(the match is exact: scheme, host, port, path, trailing slash and query), or send one of the registered ones.',
  },
  csrf_invalid: {
    status: 403,
    title: 'This form has expired',
    message: () => "The form was not sent from this site's own page, or it is too old. Nothing was changed.",
    fix: () => 'Go back to the application and start again.',
  },
  transaction_not_found: {
    status: 403,
    title: 'This request has already been answered or has expired',
    message: () => 'There is no pending authorization request for this form in your browser session. Nothing was sent to the application.',
    fix: () => 'Go back to the application and start again.',
  },
  session_expired: {
    status: 403,
    title: 'You are signed out',
    message: () => 'Your session ended before you answered. Nothing was sent to the application.',
    fix: () => 'Go back to the application and start again.',
  },
  session_changed: {
    status: 403,
    title: 'You signed in as someone else',
    message: () => 'The account signed in now is not the one this request was shown to. Nothing was sent to the application.',
    fix: () => 'Go back to the application and start again.',
  },
  bad_request: {
    status: 400,
    title: 'Bad request',
    message: () => 'The request could not be read.',
  },
  not_found: {
    status: 404,
    title: 'Page not found',
    message: () => 'There is nothing at this address.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    message: () => "This address only accepts form submissions from this site's pages.",
  },
  stytch_unavailable: {
    status: 502,
    title: 'Sign-in is unavailable right now',
    message: () => 'We could not reach the authentication service (Stytch). Please try again in a moment.',
    fix: (d) => `Operators: check that STYTCH_API_URL is reachable from this server${d.requestId ? ` (Stytch request ${d.requestId})` : ''}.`,
  },
  stytch_misconfigured: {
    status: 500,
    title: 'Sign-in is misconfigured',
    message: () => "The authentication service refused this server's credentials.",
    fix: () => 'Operators: check STYTCH_PROJECT_ID, STYTCH_SECRET and STYTCH_PROJECT_TYPE against the Stytch Dashboard.',
  },
  stytch_rate_limited: {
    status: 503,
    title: 'Too many requests',
    message: () => 'The authentication service is receiving too many requests. Please try again in a minute.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many attempts',
    message: () => 'There were too many failed attempts from your network. Nothing was sent to the application.',
    fix: () => 'Wait a few minutes (see Retry-After), then try again.',
  },
  stytch_error: {
    status: 502,
    title: 'Sign-in failed',
    message: () => 'The authentication service returned an unexpected answer.',
    fix: (d) => `Operators: see this server's logs${d.requestId ? ` for Stytch request ${d.requestId}` : ''}.`,
  },
  internal_error: {
    status: 500,
    title: 'Something went wrong',
    message: () => 'An unexpected error occurred. Nothing was sent to the application.',
    fix: (d) => `Operators: see this server's logs${d.requestId ? ` for request ${d.requestId}` : ''}.`,
  },
};

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
  | 'request_uri_not_supported';

export class OAuthRedirectError extends CodedError<OAuthErrorCode> {
  constructor(
    code: OAuthErrorCode,
    readonly target: RedirectTarget,
    readonly description: string,
  ) {
    super(code, description);
  }
}

/** `redirect_uri?error=…&error_description=…&state=…&iss=…` (RFC 6749 §4.1.2.1, RFC 9207). */
export function errorRedirectUrl(err: OAuthRedirectError, issuer: string): string {
  const url = new URL(err.target.redirectUri);
  url.searchParams.set('error', err.code);
  url.searchParams.set('error_description', err.description);
  if (err.target.state !== undefined) url.searchParams.set('state', err.target.state);
  url.searchParams.set('iss', issuer);
  return url.href;
}

/** Maps anything thrown to a page error; only codes reach the page, never an exception's text. */
export function toPageError(err: unknown, requestId: string): PageError {
  if (err instanceof PageError) return err;
  if (err instanceof StytchCallError) {
    const requestIdOfStytch = err.details.requestId;
    const details = requestIdOfStytch ? { requestId: requestIdOfStytch } : {};
    switch (err.code) {
      case 'stytch_unavailable':
        return new PageError('stytch_unavailable', details, { cause: err });
      case 'stytch_misconfigured':
        return new PageError('stytch_misconfigured', details, { cause: err });
      case 'stytch_rate_limited':
        return new PageError('stytch_rate_limited', details, { cause: err });
      case 'stytch_rejected':
        return new PageError('stytch_error', details, { cause: err });
    }
  }
  // body-parser and friends throw http-errors with a 4xx `status`.
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new PageError('bad_request', {}, { cause: err });
  return new PageError('internal_error', { requestId }, { cause: err });
}

/** The error middleware: the only place that turns an error into a response. */
export function errorHandler(opts: { issuer: string; view: ViewContext }): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof OAuthRedirectError) {
      req.log.info({ errorCode: err.code, description: err.description }, 'authorization error sent to the client');
      // After a POST, 303 makes the browser GET the client's URL; a 307 would re-post the form to it.
      res.redirect(req.method === 'GET' ? 302 : 303, errorRedirectUrl(err, opts.issuer));
      return;
    }
    const page = toPageError(err, req.id);
    const text = PAGE_ERRORS[page.code];
    // Server-side logs get the cause (a StytchCallError logs only safe fields); the page gets only the code.
    const cause = page.cause ?? (page === err ? undefined : err);
    const logged =
      cause === undefined
        ? {}
        : cause instanceof StytchCallError
          ? cause.toLog()
          : { err: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : String(cause) };
    req.log[text.status >= 500 ? 'error' : 'warn']({ errorCode: page.code, ...logged }, 'request failed');
    if (page.code === 'method_not_allowed') res.setHeader('Allow', 'POST');
    res
      .status(text.status)
      .type('html')
      .send(errorPage(opts.view, { code: page.code, text, details: page.details }, req.id).toString());
  };
}
