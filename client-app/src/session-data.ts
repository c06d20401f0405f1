/**
 * What the client-app keeps in its server-side session. Tokens live here and nowhere else: never in a cookie,
 * a page, a URL or a log line (RP-11). The cookie only carries the signed session id. The flow inspector's
 * timeline is kept beside the session, not in it (inspector/timeline-store.ts).
 */
import type { Step } from './inspector/timeline.ts';

/** A login sent to the provider and not answered yet. Keyed by its `state`, so that two tabs do not collide. */
export interface PendingLogin {
  profileId: string;
  state: string;
  nonce: string;
  /** PKCE verifier: only its S256 hash left this server. */
  codeVerifier: string;
  /** Epoch milliseconds. */
  createdAt: number;
  steps: Step[];
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string | undefined;
  idToken: string;
  tokenType: string;
  /** Epoch milliseconds, when the provider sent `expires_in`. */
  expiresAt?: number | undefined;
  /** Granted scopes: the token response's `scope`, or the requested ones when it has none (RP-8). */
  scope: string;
}

export interface SignedIn {
  profileId: string;
  tokens: TokenSet;
  /** `iss`, `sub` and `aud` of the login's ID token: every refreshed ID token must repeat them (OIDC Core §12.2). */
  original: { iss: string; sub: string; aud: string | string[] };
  /** Claims of the newest ID token. */
  idClaims: Record<string, unknown>;
  userinfo?: Record<string, unknown> | undefined;
  signedInAt: number;
  refreshedAt?: number | undefined;
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    pending?: Record<string, PendingLogin>;
    auth?: SignedIn;
  }
}
