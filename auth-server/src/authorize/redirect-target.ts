/**
 * Where OAuth errors may be sent. A `RedirectTarget` can only be made in this file, and only once the
 * redirect_uri is known to be registered for the client, so an error can never be redirected to an
 * attacker's URI (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
 */
import { isRegisteredRedirectUri } from '../../../src/shared/redirect-uri.ts';
import { PageError } from '../errors.ts';
import type { StytchBackend } from '../stytch/backend.ts';
import type { AuthorizationRequest } from './parse-request.ts';

declare const verified: unique symbol;

export interface RedirectTarget {
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly [verified]: true;
}

function target(request: AuthorizationRequest): RedirectTarget {
  return { redirectUri: request.redirectUri, state: request.state } as RedirectTarget;
}

/** Stytch's authorizeStart accepted this request, so Stytch has validated client_id and redirect_uri. */
export function confirmedByStytch(request: AuthorizationRequest): RedirectTarget {
  return target(request);
}

/**
 * For the cases where authorizeStart cannot be asked (no session yet: `prompt=none`, or a request that is
 * malformed before it reaches Stytch) and to explain an authorizeStart refusal: looks the client up and
 * compares redirect_uri with its registered URLs by exact string match, with the loopback port wildcard
 * Stytch documents for 127.0.0.1 (src/shared/redirect-uri.ts; `localhost` exactly). Stricter or equal to Stytch, so at
 * worst a request Stytch would accept gets an error page instead of a redirect: it fails closed.
 */
export async function verifyRedirectTarget(stytch: StytchBackend, request: AuthorizationRequest): Promise<RedirectTarget> {
  const client = await stytch.getClientRedirectUrls(request.clientId);
  if (!client) throw new PageError('unknown_client', { clientId: request.clientId });
  if (!isRegisteredRedirectUri(client.redirectUrls, request.redirectUri)) {
    throw new PageError('unregistered_redirect_uri', {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      registered: client.redirectUrls,
    });
  }
  return target(request);
}
