/**
 * What the auth-server keeps in its server-side session (express-session, cookie `auth_sid`).
 * The browser only ever holds the opaque session id; the Stytch session token stays here.
 */
import type { Request } from 'express';
import type { Person, Subject } from './stytch/backend.ts';
import type { AuthorizationRequest } from './authorize/parse-request.ts';

export interface LoginState {
  /** The Stytch session token (never sent to the browser, never logged). */
  sessionToken: string;
  /** The newest session JWT (absent in sessions stored before it was kept: Stytch is then asked once). */
  sessionJwt?: string | undefined;
  subject: Subject;
  person: Person;
  authenticatedAt: number;
}

/** An authorization request waiting for the person's decision on the consent page. */
export interface PendingAuthorization {
  request: AuthorizationRequest;
  /** Who the consent page was shown to; the decision must come from the same person. */
  subject: Subject;
  createdAt: number;
}

export interface AuthServerSession {
  csrfToken?: string;
  login?: LoginState;
  /** Set by a login that was asked for by `prompt=login`: that one authorization request may proceed. */
  freshLogin?: { returnTo: string; at: number };
  pending?: Record<string, PendingAuthorization>;
}

declare module 'express-session' {
  interface SessionData {
    // One namespaced key: apps sharing this TypeScript project augment SessionData too.
    authServer?: AuthServerSession;
  }
}

export function authState(req: Request): AuthServerSession {
  req.session.authServer ??= {};
  return req.session.authServer;
}

/** The login state without creating a session for anonymous visitors. */
export function currentLogin(req: Request): LoginState | undefined {
  return req.session.authServer?.login;
}
