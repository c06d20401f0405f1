/**
 * Step 2: is someone signed in? The local session holds the Stytch session token and session JWT; Stytch
 * decides whether that session is still valid (it may have expired or been revoked elsewhere).
 *
 * The JWT is verified locally while it is younger than SESSION_JWT_MAX_AGE_SECONDS, as Stytch recommends for
 * checks on every request (https://stytch.com/docs/guides/sessions/using-jwts): no call to Stytch, no new
 * JWT signed by Stytch; the second step of a flow finds the same JWT already verified (stytch/session-jwt-cache.ts).
 * A session revoked elsewhere is still caught at once, because both authorization steps then send the session
 * token to Stytch (authorizeStart on the consent page, authorize on submit), which refuses it with
 * `session_not_found`: `endIfSessionGone` ends the local session then.
 */
import type { Request } from 'express';
import { sameSubject, type SignedIn, type StytchBackend } from '../stytch/backend.ts';
import { StytchCallError } from '../stytch/errors.ts';
import { canonicalReturnTo } from '../login/return-to.ts';

export type SessionCheck = { signedIn: SignedIn } | { signedIn?: undefined; reason: 'no_session' | 'session_expired' | 'login_requested' };

/** How long a login asked for by `prompt=login` may take to come back to its authorization request. */
const FRESH_LOGIN_MS = 5 * 60_000;

/**
 * A session JWT older than this is checked by Stytch (which returns a fresh one) rather than locally. It bounds
 * how long a session revoked elsewhere can look valid to this check alone; the Stytch calls that follow it in
 * both authorization steps refuse such a session anyway.
 */
export const SESSION_JWT_MAX_AGE_SECONDS = 60;

/** Stytch's error type for a session token or JWT it no longer knows (revoked, expired). */
const SESSION_NOT_FOUND = 'session_not_found';

export async function requireSession(stytch: StytchBackend, req: Request, opts: { forceLogin: boolean }): Promise<SessionCheck> {
  const state = req.session.authServer;
  // prompt=login: a session is not enough, unless the person has just signed in for this very request.
  if (opts.forceLogin && !consumeFreshLogin(req)) return { reason: 'login_requested' };
  const login = state?.login;
  if (!state || !login) return { reason: 'no_session' };
  const session = await stytch.authenticateSession(login, SESSION_JWT_MAX_AGE_SECONDS);
  if (!session || !sameSubject(session.subject, login.subject)) {
    delete state.login;
    return { reason: 'session_expired' };
  }
  // Stytch refreshed the JWT (the old one was too old or expired): keep the new one for the next local checks.
  if (session.sessionJwt && session.sessionJwt !== login.sessionJwt) login.sessionJwt = session.sessionJwt;
  return { signedIn: { sessionToken: login.sessionToken, sessionJwt: login.sessionJwt, subject: login.subject, person: login.person } };
}

/** When Stytch refused the session token as unknown (revoked elsewhere), ends the local sign-in and returns true. */
export function endIfSessionGone(req: Request, err: unknown): boolean {
  if (!isSessionGone(err)) return false;
  delete req.session.authServer?.login;
  return true;
}

export function isSessionGone(err: unknown): boolean {
  return err instanceof StytchCallError && err.code === 'stytch_rejected' && err.details.errorType === SESSION_NOT_FOUND;
}

function consumeFreshLogin(req: Request): boolean {
  const state = req.session.authServer;
  const fresh = state?.freshLogin;
  if (!state || !fresh) return false;
  delete state.freshLogin;
  return Date.now() - fresh.at < FRESH_LOGIN_MS && fresh.returnTo === canonicalReturnTo(req.originalUrl);
}
