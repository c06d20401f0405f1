/**
 * Sessions of users (Consumer) and members (B2B): create, authenticate (by opaque token or JWT), extend, revoke.
 *
 * The opaque `session_token` is 44 base64url characters, as Stytch's are; only its SHA-256 is stored.
 * A session document expires with the session, so an expired session simply is not found.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../basic-auth.ts';
import { newId, type EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import {
  collections,
  epochSeconds,
  isoTime,
  type AuthenticationFactor,
  type Identity,
  type MemberIdentity,
  type MemberSession,
  type MemberSessionRecord,
  type Session,
  type SessionRecord,
  type UserIdentity,
} from './model.ts';
import { checkCustomClaims, signSessionJwt, verifySessionJwt } from './session-jwt.ts';

/** Stytch's bounds for `session_duration_minutes`: 5 minutes to 366 days. */
export const SESSION_MINUTES = { min: 5, max: 527_040 } as const;

export interface IssuedSession<S> {
  session_token: string;
  session_jwt: string;
  session: S;
}

export interface SessionOptions {
  /** `session_custom_claims`: copied into the session and, at the top level, into its JWTs. */
  customClaims?: unknown;
  attributes?: { ip_address?: string; user_agent?: string };
}

export function checkDuration(minutes: unknown): number {
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < SESSION_MINUTES.min || minutes > SESSION_MINUTES.max) {
    // UNCONFIRMED error_type; the bounds are Stytch's documented ones.
    throw new StytchApiError(
      400,
      'invalid_session_duration',
      `session_duration_minutes must be an integer between ${SESSION_MINUTES.min} and ${SESSION_MINUTES.max}.`,
    );
  }
  return minutes;
}

function newSessionToken(): string {
  return randomBytes(33).toString('base64url');
}

/**
 * Starts a session for a user or member. Used by password login and, on the OAuth side, by
 * `sessions.exchange_access_token`.
 */
export function createSession(
  ctx: EmulatorContext,
  identity: UserIdentity,
  durationMinutes: number,
  factors: AuthenticationFactor[],
  options?: SessionOptions,
): Promise<IssuedSession<Session>>;
export function createSession(
  ctx: EmulatorContext,
  identity: MemberIdentity,
  durationMinutes: number,
  factors: AuthenticationFactor[],
  options?: SessionOptions,
): Promise<IssuedSession<MemberSession>>;
export function createSession(
  ctx: EmulatorContext,
  identity: Identity,
  durationMinutes: number,
  factors: AuthenticationFactor[],
  options?: SessionOptions,
): Promise<IssuedSession<Session | MemberSession>>;
export async function createSession(
  ctx: EmulatorContext,
  identity: Identity,
  durationMinutes: number,
  factors: AuthenticationFactor[],
  options: SessionOptions = {},
): Promise<IssuedSession<Session | MemberSession>> {
  checkDuration(durationMinutes);
  const customClaims = checkCustomClaims(options.customClaims);
  const now = ctx.now();
  const expiresAt = now + durationMinutes * 60;
  const token = newSessionToken();
  const tokenHash = sha256Hex(token);
  const { sessions, memberSessions } = collections(ctx);
  const common = {
    started_at: isoTime(now),
    last_accessed_at: isoTime(now),
    expires_at: isoTime(expiresAt),
    authentication_factors: factors,
    ...(customClaims ? { custom_claims: customClaims } : {}),
  };
  if (identity.kind === 'user') {
    const session: Session = {
      session_id: newId(ctx, 'session'),
      user_id: identity.user.user_id,
      roles: identity.user.roles,
      attributes: { ip_address: options.attributes?.ip_address ?? '', user_agent: options.attributes?.user_agent ?? '' },
      ...common,
    };
    sessions.put(session.session_id, { session, token_hash: tokenHash }, { lookup: tokenHash, expiresAt });
    return { session_token: token, session_jwt: await signSessionJwt(ctx, { kind: 'user', session }), session };
  }
  const member_session: MemberSession = {
    member_session_id: newId(ctx, 'session'),
    member_id: identity.member.member_id,
    organization_id: identity.organization.organization_id,
    organization_slug: identity.organization.organization_slug,
    roles: identity.member.roles.map((r) => r.role_id),
    ...common,
  };
  memberSessions.put(member_session.member_session_id, { member_session, token_hash: tokenHash }, { lookup: tokenHash, expiresAt });
  return { session_token: token, session_jwt: await signSessionJwt(ctx, { kind: 'member', session: member_session }), session: member_session };
}

/** Exactly one of the two credentials of a session, as the authenticate and revoke endpoints take them. */
export interface SessionCredential {
  session_token?: unknown;
  session_jwt?: unknown;
}

export type Found<R> = { record: R; by: 'token' | 'jwt'; token?: string };

function sessionNotFound(): StytchApiError {
  return new StytchApiError(404, 'session_not_found', 'Session could not be found.');
}

/**
 * Finds the live session a token or JWT designates. `allowExpiredJwt` follows Stytch's sessions.authenticate,
 * which refreshes a JWT past its 5-minute `exp` while the session itself lives.
 */
export async function findUserSession(ctx: EmulatorContext, cred: SessionCredential, opts: { allowExpiredJwt: boolean }): Promise<Found<SessionRecord>> {
  const { sessions } = collections(ctx);
  if (typeof cred.session_token === 'string' && cred.session_token) {
    const record = sessions.findByLookup(sha256Hex(cred.session_token));
    if (!record) throw sessionNotFound();
    return { record, by: 'token', token: cred.session_token };
  }
  if (typeof cred.session_jwt === 'string' && cred.session_jwt) {
    const jwt = await verifySessionJwt(ctx, cred.session_jwt, { allowExpired: opts.allowExpiredJwt });
    const record = sessions.get(jwt.sessionId);
    if (!record || record.session.user_id !== jwt.subject) throw sessionNotFound();
    return { record, by: 'jwt' };
  }
  throw new StytchApiError(400, 'missing_session', 'Provide a session_token or a session_jwt.');
}

export async function findMemberSession(
  ctx: EmulatorContext,
  cred: SessionCredential,
  opts: { allowExpiredJwt: boolean },
): Promise<Found<MemberSessionRecord>> {
  const { memberSessions } = collections(ctx);
  if (typeof cred.session_token === 'string' && cred.session_token) {
    const record = memberSessions.findByLookup(sha256Hex(cred.session_token));
    if (!record) throw sessionNotFound();
    return { record, by: 'token', token: cred.session_token };
  }
  if (typeof cred.session_jwt === 'string' && cred.session_jwt) {
    const jwt = await verifySessionJwt(ctx, cred.session_jwt, { allowExpired: opts.allowExpiredJwt });
    const record = memberSessions.get(jwt.sessionId);
    if (!record || record.member_session.member_id !== jwt.subject || record.member_session.organization_id !== jwt.organizationId) {
      throw sessionNotFound();
    }
    return { record, by: 'jwt' };
  }
  throw new StytchApiError(400, 'missing_session', 'Provide a session_token or a session_jwt.');
}

/** Rejects a request carrying both credentials, as Stytch's sessions.authenticate does. */
export function exactlyOneCredential(cred: SessionCredential): void {
  const given = [cred.session_token, cred.session_jwt].filter((v) => v !== undefined && v !== null && v !== '');
  if (given.length > 1) {
    // UNCONFIRMED error_type; the SDK documents "It will return an error if both are present".
    throw new StytchApiError(400, 'too_many_session_arguments', 'Provide either a session_token or a session_jwt, not both.');
  }
}

/**
 * Marks a session as used now and, when `durationMinutes` is given, moves its expiry to now + duration
 * (Stytch's "extend"). Returns the updated session and a fresh JWT.
 */
export async function touchUserSession(
  ctx: EmulatorContext,
  found: Found<SessionRecord>,
  durationMinutes: number | undefined,
  change: (s: Session) => Session = (s) => s,
): Promise<IssuedSession<Session>> {
  const now = ctx.now();
  const s = change(found.record.session);
  const expiresAt = durationMinutes === undefined ? epochSeconds(s.expires_at ?? '') : now + checkDuration(durationMinutes) * 60;
  const session: Session = { ...s, last_accessed_at: isoTime(now), expires_at: isoTime(expiresAt) };
  collections(ctx).sessions.put(session.session_id, { session, token_hash: found.record.token_hash }, { lookup: found.record.token_hash, expiresAt });
  // The opaque token is stored only as a hash, so a call made with a JWT gets "" (as the SDK's local check returns).
  return { session_token: found.token ?? '', session_jwt: await signSessionJwt(ctx, { kind: 'user', session }), session };
}

export async function touchMemberSession(
  ctx: EmulatorContext,
  found: Found<MemberSessionRecord>,
  durationMinutes: number | undefined,
  change: (s: MemberSession) => MemberSession = (s) => s,
): Promise<IssuedSession<MemberSession>> {
  const now = ctx.now();
  const s = change(found.record.member_session);
  const expiresAt = durationMinutes === undefined ? epochSeconds(s.expires_at) : now + checkDuration(durationMinutes) * 60;
  const member_session: MemberSession = { ...s, last_accessed_at: isoTime(now), expires_at: isoTime(expiresAt) };
  collections(ctx).memberSessions.put(
    member_session.member_session_id,
    { member_session, token_hash: found.record.token_hash },
    { lookup: found.record.token_hash, expiresAt },
  );
  return { session_token: found.token ?? '', session_jwt: await signSessionJwt(ctx, { kind: 'member', session: member_session }), session: member_session };
}

/**
 * Applies `session_custom_claims` of an authenticate call to a session: keys are added or replaced, a key
 * set to null is removed (Stytch's documented semantics).
 */
export function mergeCustomClaims<S extends { custom_claims?: Record<string, unknown> }>(session: S, change: unknown): S {
  const claims = checkCustomClaims(change);
  if (!claims) return session;
  const merged: Record<string, unknown> = { ...session.custom_claims };
  for (const [k, v] of Object.entries(claims)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return { ...session, custom_claims: merged };
}

/** Adds (or refreshes) an authentication factor on a session, as a second login into an existing session does. */
export function withFactor<S extends { authentication_factors: AuthenticationFactor[] }>(session: S, factor: AuthenticationFactor): S {
  const others = session.authentication_factors.filter((f) => f.type !== factor.type || f.delivery_method !== factor.delivery_method);
  return { ...session, authentication_factors: [...others, factor] };
}

export function listUserSessions(ctx: EmulatorContext, userId: string): Session[] {
  return collections(ctx)
    .sessions.all()
    .filter((r) => r.session.user_id === userId)
    .map((r) => r.session);
}

export function listMemberSessions(ctx: EmulatorContext, organizationId: string, memberId: string): MemberSession[] {
  return collections(ctx)
    .memberSessions.all()
    .filter((r) => r.member_session.organization_id === organizationId && r.member_session.member_id === memberId)
    .map((r) => r.member_session);
}

export function revokeUserSessions(ctx: EmulatorContext, predicate: (s: Session) => boolean): number {
  return collections(ctx).sessions.deleteWhere((r) => predicate(r.session));
}

export function revokeMemberSessions(ctx: EmulatorContext, predicate: (s: MemberSession) => boolean): number {
  return collections(ctx).memberSessions.deleteWhere((r) => predicate(r.member_session));
}
