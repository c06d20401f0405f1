/**
 * Step 5: ask Stytch (authorize) for the authorization response and return where to send the browser:
 * the client's redirect_uri with a code, or with an OAuth error such as access_denied.
 */
import { OAuthRedirectError, PageError } from '../errors.ts';
import type { SignedIn, StytchBackend } from '../stytch/backend.ts';
import { StytchCallError } from '../stytch/errors.ts';
import type { AuthorizationRequest } from './parse-request.ts';
import type { RedirectTarget } from './redirect-target.ts';
import { oauthErrorFor, startParams } from './start.ts';

export async function submitAuthorization(
  stytch: StytchBackend,
  request: AuthorizationRequest,
  signedIn: SignedIn,
  target: RedirectTarget,
  decision: { consentGranted: boolean; forceConsent?: boolean },
): Promise<string> {
  let redirectUri: string;
  try {
    ({ redirectUri } = await stytch.authorize(
      {
        ...startParams(request, { forceConsent: decision.forceConsent ?? false }),
        consentGranted: decision.consentGranted,
        ...(request.state !== undefined ? { state: request.state } : {}),
        ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
        ...(request.codeChallenge !== undefined ? { codeChallenge: request.codeChallenge } : {}),
        ...(request.resources.length > 0 ? { resources: request.resources } : {}),
      },
      signedIn.sessionToken,
    ));
  } catch (err) {
    if (err instanceof StytchCallError && err.code === 'stytch_rejected') {
      throw new OAuthRedirectError(oauthErrorFor(err), target, err.details.errorMessage || 'The authorization request was refused.');
    }
    throw err;
  }
  // Send the browser only to the redirect_uri that was validated, whatever the response says.
  if (!sameEndpoint(redirectUri, request.redirectUri)) throw new PageError('stytch_error');
  return redirectUri;
}

function sameEndpoint(actual: string, expected: string): boolean {
  try {
    const a = new URL(actual);
    const e = new URL(expected);
    return a.protocol === e.protocol && a.host === e.host && a.pathname === e.pathname;
  } catch {
    return false;
  }
}
