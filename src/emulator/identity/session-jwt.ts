/**
 * Session JWTs, as ST-SESSION-JWT describe them, so that the SDK's `sessions.authenticateJwt`
 * and `authenticateJwtLocal` accept them: header `{alg: RS256, kid, typ: JWT}`, `iss` = the emulator's base URL
 * (no trailing slash), `aud: [project_id]`, a 5-minute lifetime (never past the session's own expiry), the
 * `https://stytch.com/session` claim, and for B2B `https://stytch.com/organization`. Custom claims sit at the top level.
 */
import { errors as joseErrors, type JWTPayload } from 'jose';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { epochSeconds, type MemberSession, type Session } from './model.ts';

export const SESSION_CLAIM = 'https://stytch.com/session';
export const ORGANIZATION_CLAIM = 'https://stytch.com/organization';
/** Stytch's session JWTs live 5 minutes whatever the session's duration. */
export const SESSION_JWT_LIFETIME_SECONDS = 5 * 60;

/** Claims a caller may not set through `session_custom_claims`. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', SESSION_CLAIM, ORGANIZATION_CLAIM]);

export interface StytchSessionClaim {
  id: string;
  started_at: string;
  last_accessed_at: string;
  expires_at: string;
  attributes: { ip_address: string; user_agent: string };
  authentication_factors: Session['authentication_factors'];
  roles: string[];
}

export function signSessionJwt(
  ctx: EmulatorContext,
  session: { kind: 'user'; session: Session } | { kind: 'member'; session: MemberSession },
): Promise<string> {
  const now = ctx.now();
  const s = session.session;
  const expiresAt = epochSeconds(s.expires_at ?? '');
  const claim: StytchSessionClaim = {
    id: session.kind === 'user' ? session.session.session_id : session.session.member_session_id,
    started_at: s.started_at ?? '',
    last_accessed_at: s.last_accessed_at ?? '',
    expires_at: s.expires_at ?? '',
    attributes: { ip_address: '', user_agent: '', ...(session.kind === 'user' ? session.session.attributes : {}) },
    authentication_factors: s.authentication_factors,
    roles: s.roles,
  };
  const payload: JWTPayload = {
    ...(s.custom_claims ?? {}),
    sub: session.kind === 'user' ? session.session.user_id : session.session.member_id,
    iss: ctx.issuer,
    aud: [ctx.projectId],
    iat: now,
    nbf: now,
    exp: Math.min(now + SESSION_JWT_LIFETIME_SECONDS, expiresAt),
    [SESSION_CLAIM]: claim,
    ...(session.kind === 'member'
      ? { [ORGANIZATION_CLAIM]: { organization_id: session.session.organization_id, slug: session.session.organization_slug } }
      : {}),
  };
  return ctx.keys.sign(payload);
}

export interface VerifiedSessionJwt {
  sessionId: string;
  subject: string;
  organizationId?: string;
  expired: boolean;
}

/**
 * Verifies a session JWT this project signed. `allowExpired`: Stytch's sessions.authenticate accepts a JWT
 * past its `exp` when the signature and the underlying session are still valid (and returns a fresh JWT),
 * which is what the SDK's `authenticateJwt` fallback relies on.
 */
export async function verifySessionJwt(ctx: EmulatorContext, jwt: string, { allowExpired }: { allowExpired: boolean }): Promise<VerifiedSessionJwt> {
  const invalid = (why: string) =>
    // UNCONFIRMED: Stytch's error_type for a session JWT that fails verification.
    new StytchApiError('unauthorized_credentials', `The session_jwt is invalid: ${why}.`);
  let payload: JWTPayload;
  let expired = false;
  const options = { audience: ctx.projectId, issuer: [ctx.issuer, `stytch.com/${ctx.projectId}`], typ: 'JWT' };
  try {
    ({ payload } = await ctx.keys.verify(jwt, options));
  } catch (err) {
    if (!(err instanceof joseErrors.JWTExpired) || !allowExpired) {
      throw invalid(err instanceof joseErrors.JWTExpired ? 'it has expired' : 'its signature or claims do not verify');
    }
    // jose reports expiry only after the signature verified; check everything else as of the JWT's issue time.
    const issuedAt = typeof err.payload.nbf === 'number' ? err.payload.nbf : typeof err.payload.iat === 'number' ? err.payload.iat : 0;
    try {
      ({ payload } = await ctx.keys.verify(jwt, { ...options, currentDate: new Date(issuedAt * 1000) }));
    } catch {
      throw invalid('its signature or claims do not verify');
    }
    expired = true;
  }
  const claim = payload[SESSION_CLAIM] as Partial<StytchSessionClaim> | undefined;
  if (typeof claim?.id !== 'string' || typeof payload.sub !== 'string') throw invalid('it is not a session JWT');
  const org = payload[ORGANIZATION_CLAIM] as { organization_id?: unknown } | undefined;
  return {
    sessionId: claim.id,
    subject: payload.sub,
    ...(typeof org?.organization_id === 'string' ? { organizationId: org.organization_id } : {}),
    expired,
  };
}

/** Rejects `session_custom_claims` that would override a registered or Stytch claim. */
export function checkCustomClaims(claims: unknown): Record<string, unknown> | undefined {
  if (claims === undefined || claims === null) return undefined;
  if (typeof claims !== 'object' || Array.isArray(claims)) {
    throw new StytchApiError('bad_request', 'session_custom_claims must be a JSON object.');
  }
  // Stytch documents that registered JWT claims and its own `https://stytch.com/…` claims cannot be set.
  const stytch = Object.keys(claims).filter((k) => k.startsWith('https://stytch.com/'));
  if (stytch.length > 0) {
    throw new StytchApiError('stytch_claims_in_custom_claims', `session_custom_claims may not set Stytch's claims: ${stytch.join(', ')}.`);
  }
  const reserved = Object.keys(claims).filter((k) => RESERVED_CLAIMS.has(k));
  if (reserved.length > 0) {
    throw new StytchApiError('reserved_claims_in_custom_claims', `session_custom_claims may not set reserved claims: ${reserved.join(', ')}.`);
  }
  return claims as Record<string, unknown>;
}
