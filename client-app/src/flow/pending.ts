/**
 * Pending logins (RP-1): each `/login` stores its state, nonce and PKCE verifier in the server-side session, keyed
 * by `state`. The callback takes its entry out before anything else happens, so each is used at most once, and
 * a state that matches nothing stops the flow before the token endpoint is contacted.
 */
import type { Session, SessionData } from 'express-session';
import { RpError } from '../errors.ts';
import type { PendingLogin } from '../session-data.ts';

/** A login must come back within this time. */
export const PENDING_TTL_MS = 10 * 60_000;
/** Logins in progress per session (tabs); the oldest is dropped beyond this. */
const MAX_PENDING = 5;

type SessionLike = Session & Partial<SessionData>;

export function addPendingLogin(session: SessionLike, pending: PendingLogin, now = Date.now()): void {
  const live = Object.values(session.pending ?? {})
    .filter((p) => now - p.createdAt < PENDING_TTL_MS)
    .sort((a, b) => a.createdAt - b.createdAt)
    .slice(-(MAX_PENDING - 1));
  session.pending = Object.fromEntries([...live, pending].map((p) => [p.state, p]));
}

/**
 * Finds and removes the pending login the callback answers. Throws, naming the problem, when there is none.
 * On a missing or unknown state every pending login of the session is discarded: the response cannot be trusted
 * to belong to any of them.
 */
export function takePendingLogin(session: SessionLike, query: URLSearchParams, now = Date.now()): PendingLogin {
  const all = session.pending;
  if (!all || Object.keys(all).length === 0) {
    throw new RpError('ERR_NO_PENDING_LOGIN', 'callback received, but this session has no login in progress');
  }
  const states = query.getAll('state');
  if (states.length === 0) {
    delete session.pending;
    throw new RpError('ERR_STATE_MISSING', 'callback has no state parameter');
  }
  const state = states[0] as string;
  if (states.length > 1 || !Object.hasOwn(all, state)) {
    delete session.pending;
    throw new RpError('ERR_STATE_MISMATCH', 'callback state matches no login of this session');
  }
  const pending = all[state] as PendingLogin;
  delete all[state];
  if (Object.keys(all).length === 0) delete session.pending;
  if (now - pending.createdAt >= PENDING_TTL_MS) {
    throw new RpError('ERR_LOGIN_EXPIRED', 'the login this callback answers has expired');
  }
  return pending;
}
