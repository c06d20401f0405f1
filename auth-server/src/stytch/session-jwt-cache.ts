/**
 * Remembers which session JWTs have already been checked, so that the same JWT is not verified again at the next
 * step of a flow (the consent page, then its submit, a few seconds apart) or the next flow of the same person.
 *
 * A remembered answer is used only while `sessions.authenticateJwt` would still accept the same JWT locally
 * without asking Stytch: before its `exp`, and less than `maxTokenAgeSeconds` after its `iat` (the SDK's two time
 * checks, with the same comparisons). The rest of what the SDK checks (signature against the project's JWKS,
 * issuer, audience) depends only on the JWT's bytes, which are the cache key, and on the JWKS, which the SDK itself
 * keeps for up to 10 minutes (jose's remote key set), longer than an entry here is used (`maxTokenAgeSeconds`,
 * 60 s). So a hit answers exactly what verifying again would have answered, one RS256 verification cheaper.
 *
 * Revocation is unaffected: a session revoked elsewhere was never caught by the local check (the JWT stays valid
 * until it is too old), but by the Stytch calls that follow it at both steps, which send the session token.
 * The JWT lives only in the server-side session, which loses it when Stytch refuses the session.
 */
import { decodeJwt } from 'jose';
import type { AuthenticatedSession, StytchBackend, Subject } from './backend.ts';

/** Plenty for the people signed in within one JWT age; past it the oldest entry goes (a later check re-verifies). */
const DEFAULT_MAX_ENTRIES = 1000;

interface Checked {
  subject: Subject;
  /** The JWT's `iat` and `exp`, in seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export interface SessionJwtCacheOptions {
  maxEntries?: number;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

/** `backend` with `authenticateSession` answered from the cache while the JWT would still pass the local check. */
export function cacheSessionChecks(backend: StytchBackend, options: SessionJwtCacheOptions = {}): StytchBackend {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: the first key is the entry remembered longest ago.
  const checked = new Map<string, Checked>();

  const lookup = (jwt: string, maxTokenAgeSeconds: number): Subject | undefined => {
    const entry = checked.get(jwt);
    if (!entry) return undefined;
    const seconds = now() / 1000;
    // As jose (`exp` against the current second) and the SDK (`iat` against the unrounded time) compare them.
    if (entry.expiresAt > Math.floor(seconds) && seconds - entry.issuedAt < maxTokenAgeSeconds) return entry.subject;
    checked.delete(jwt);
    return undefined;
  };

  const remember = (session: AuthenticatedSession): void => {
    const jwt = session.sessionJwt;
    if (!jwt) return;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(jwt);
    } catch {
      return;
    }
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return;
    checked.delete(jwt);
    checked.set(jwt, { subject: session.subject, issuedAt: claims.iat, expiresAt: claims.exp });
    for (const oldest of checked.keys()) {
      if (checked.size <= maxEntries) break;
      checked.delete(oldest);
    }
  };

  return {
    ...backend,
    async authenticateSession(credential, maxTokenAgeSeconds) {
      const { sessionJwt } = credential;
      const subject = sessionJwt ? lookup(sessionJwt, maxTokenAgeSeconds) : undefined;
      if (subject) return { subject, sessionJwt };
      const session = await backend.authenticateSession(credential, maxTokenAgeSeconds);
      // The JWT the SDK verified, or the fresh one Stytch answered with: either is vouched for now.
      if (session) remember(session);
      return session;
    },
  };
}
