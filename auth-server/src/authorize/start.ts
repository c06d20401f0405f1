/**
 * Step 3: ask Stytch (authorizeStart) whether this client may ask this person for these scopes, and
 * whether consent is needed. Stytch validates client_id, redirect_uri (exact match) and scopes.
 */
import { OAuthRedirectError, PageError, type OAuthErrorCode } from '../errors.ts';
import { sameSubject, type AuthorizeStartParams, type AuthorizeStartResult, type SignedIn, type StytchBackend } from '../stytch/backend.ts';
import { StytchCallError } from '../stytch/errors.ts';
import type { AuthorizationRequest } from './parse-request.ts';
import { isSessionGone } from './require-session.ts';
import { confirmedByStytch, verifyRedirectTarget, type RedirectTarget } from './redirect-target.ts';

/** Stytch's error type for a client_id it cannot use (e.g. an unusable Client ID Metadata Document). */
const INVALID_CLIENT = 'invalid_client_id';

export interface Started {
  start: AuthorizeStartResult;
  /** Verified by Stytch: OAuth errors from here on may go back to it. */
  target: RedirectTarget;
}

/** What Stytch is told. Stytch only understands `prompt=consent`; `none` and `login` are handled here. */
export function startParams(request: AuthorizationRequest, opts: { forceConsent?: boolean } = {}): AuthorizeStartParams {
  const consent = opts.forceConsent || request.prompt.includes('consent');
  return {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    responseType: request.responseType,
    scopes: request.scopes,
    ...(consent ? { prompt: 'consent' } : {}),
  };
}

export async function startAuthorization(
  stytch: StytchBackend,
  request: AuthorizationRequest,
  signedIn: SignedIn,
  opts: { forceConsent?: boolean } = {},
): Promise<Started> {
  let start: AuthorizeStartResult;
  try {
    start = await stytch.authorizeStart(startParams(request, opts), signedIn.sessionToken);
  } catch (err) {
    // The session was revoked elsewhere: not the client's fault, the caller ends the local sign-in.
    if (isSessionGone(err)) throw err;
    if (err instanceof StytchCallError && err.code === 'stytch_rejected' && err.details.errorType === INVALID_CLIENT) {
      // The client could not be resolved (e.g. its Client ID Metadata Document): no trusted redirect_uri, so a page.
      throw new PageError('invalid_client', { clientId: request.clientId, reason: err.details.errorMessage ?? '' }, { cause: err });
    }
    if (err instanceof StytchCallError && err.code === 'stytch_rejected') {
      // Stytch said no. If client_id or redirect_uri is the reason, this throws the error page (no redirect);
      // otherwise the redirect_uri is registered and the refusal goes back to the client.
      const target = await verifyRedirectTarget(stytch, request);
      throw new OAuthRedirectError(oauthErrorFor(err), target, err.details.errorMessage || 'The authorization request was refused.');
    }
    throw err;
  }
  const target = confirmedByStytch(request);
  if (!sameSubject(start.subject, signedIn.subject)) throw new PageError('session_changed');
  // Stytch checks PKCE only when the code is redeemed; refusing here means a public client never gets a
  // code it could not safely redeem (RFC 9700 §2.1.1).
  if (start.client.type.endsWith('_public') && !request.codeChallenge) {
    throw new OAuthRedirectError('invalid_request', target, 'code_challenge (PKCE with S256) is required for public clients');
  }
  return { start, target };
}

/**
 * Stytch's refusals of a verified authorization request, by `error_type`, and the RFC 6749 §4.1.2.1 code
 * the client is sent. Any other refusal is an invalid request.
 */
const STYTCH_TO_OAUTH: Readonly<Record<string, OAuthErrorCode>> = {
  oauth_invalid_scope_requested: 'invalid_scope',
  // B2B: the member's organization does not allow this Connected App.
  connected_app_not_allowed_for_org: 'access_denied',
  pkce_required_for_idp_authorization_flow: 'invalid_request',
  invalid_pkce_code_challenge: 'invalid_request',
  // The only URLs of an authorize call besides redirect_uri (refused before this, as a page) are the resources.
  invalid_url: 'invalid_target',
};

export function oauthErrorFor(err: StytchCallError): OAuthErrorCode {
  const type = err.details.errorType ?? '';
  return Object.hasOwn(STYTCH_TO_OAUTH, type) ? (STYTCH_TO_OAUTH[type] as OAuthErrorCode) : 'invalid_request';
}
