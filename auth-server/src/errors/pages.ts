/**
 * What each page error says: its status, a title, what went wrong for the person in front of the browser, and
 * how to fix it for the developer or operator. Keyed on the code, never on an exception's message, and
 * complete by type: a new code without a text does not compile.
 */
import type { PageErrorCode, PageErrorDetails } from './types.ts';

export interface PageErrorText {
  status: number;
  title: string;
  /** What went wrong, for the person in front of the browser. */
  message: (d: PageErrorDetails) => string;
  /** How to fix it, for the developer of the Connected App or the operator of this server. */
  fix?: (d: PageErrorDetails) => string;
}

const list = (values: string[] | undefined) => (values && values.length > 0 ? values.join(', ') : '(none)');

export const PAGE_ERRORS = {
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
  invalid_client: {
    status: 400,
    title: 'This application cannot sign in here',
    message: (d) => `client_id ${d.clientId} is the address of a Client ID Metadata Document that could not be used.`,
    fix: (d) =>
      `${d.reason ?? 'Stytch refused the client.'} The document must be served over https at exactly that URL as a JSON object ` +
      'whose client_id is that URL, listing its redirect_uris, with no client_secret.',
  },
  logout_not_supported: {
    status: 400,
    title: 'Signing out from the application is not available here',
    message: (d) =>
      `${d.clientId ? `The application ${d.clientId}` : 'An application'} asked this server to sign you out and send you back ` +
      '(an OpenID Connect logout request). This server cannot do that, so you are still signed in here, and you were not sent anywhere.',
    fix: () =>
      'Stytch handles RP-initiated logout (post_logout_redirect_uri) only in its frontend SDK (the IdentityProvider component, ' +
      'oauthLogoutStart); the backend SDK this server is built on has no call for it, and sending the browser to an unverified ' +
      'post_logout_redirect_uri would be an open redirect. Applications: end your own session and revoke your tokens ' +
      '(/v1/oauth2/revoke) instead. People: use "Sign out" on this site.',
  },
  unregistered_redirect_uri: {
    status: 400,
    title: "This application's redirect URL is not registered",
    message: (d) => `redirect_uri ${d.redirectUri} is not registered for client ${d.clientId}.`,
    fix: (d) =>
      `Registered redirect URLs: ${list(d.registered)}. Add this exact URL to the Connected App in the Stytch Dashboard ` +
      '(the match is exact: scheme, host, port, path, trailing slash and query; only a port-less http://127.0.0.1 or ' +
      'http://[::1] URL matches any port), or send one of the registered ones.',
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
} satisfies Record<PageErrorCode, PageErrorText>;
