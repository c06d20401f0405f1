/**
 * The one middleware that turns an error into a response: an OAuth error redirected to a verified
 * redirect_uri, or an explained page. Only codes reach the page, never an exception's text.
 */
import type { ErrorRequestHandler } from 'express';
import { StytchCallError } from '../stytch/errors.ts';
import { errorPage } from '../views/error.ts';
import type { ViewContext } from '../views/layout.ts';
import { PAGE_ERRORS } from './pages.ts';
import { OAuthRedirectError, PageError } from './types.ts';

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
