/**
 * Step 2: is someone signed in? The local session only holds a Stytch session token; Stytch decides
 * whether that session is still valid (it may have expired or been revoked elsewhere).
 */
import type { Request } from 'express';
import { sameSubject, type SignedIn, type StytchBackend } from '../stytch/backend.ts';
import { canonicalReturnTo } from '../login/return-to.ts';

export type SessionCheck = { signedIn: SignedIn } | { signedIn?: undefined; reason: 'no_session' | 'session_expired' | 'login_requested' };

/** How long a login asked for by `prompt=login` may take to come back to its authorization request. */
const FRESH_LOGIN_MS = 5 * 60_000;

export async function requireSession(stytch: StytchBackend, req: Request, opts: { forceLogin: boolean }): Promise<SessionCheck> {
  const state = req.session.authServer;
  // prompt=login: a session is not enough, unless the person has just signed in for this very request.
  if (opts.forceLogin && !consumeFreshLogin(req)) return { reason: 'login_requested' };
  const login = state?.login;
  if (!state || !login) return { reason: 'no_session' };
  const signedIn = await stytch.authenticateSession(login.sessionToken);
  if (!signedIn || !sameSubject(signedIn.subject, login.subject)) {
    delete state.login;
    return { reason: 'session_expired' };
  }
  return { signedIn };
}

function consumeFreshLogin(req: Request): boolean {
  const state = req.session.authServer;
  const fresh = state?.freshLogin;
  if (!state || !fresh) return false;
  delete state.freshLogin;
  return Date.now() - fresh.at < FRESH_LOGIN_MS && fresh.returnTo === canonicalReturnTo(req.originalUrl);
}
