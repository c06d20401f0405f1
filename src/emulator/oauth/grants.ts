/**
 * A grant is one authorization of one client by one person: what the authorization code, and the tokens
 * issued from it, hang on. Revoking the grant revokes all of them at once, which is how code replay
 * (AS-3), refresh-token reuse (AS-8), revocation of a refresh token (AS-9) and "revoke this
 * Connected App" for a user or member all end in the same place.
 *
 * Collections:
 *   grants          grant_id              lookup `${client_id} ${subject_id}`   expires with its last token
 *   access_tokens   jti                   lookup grant_id   expires with the token
 *   refresh_tokens  sha256(refresh token) lookup grant_id   expires with the token
 * Access tokens are JWTs; their record exists so that a revoked one is reported inactive by introspection
 * and refused by userinfo, although it still verifies locally (as with real Stytch).
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../basic-auth.ts';
import { newId, type EmulatorContext } from '../context.ts';

export type GrantSubject = { kind: 'user'; user_id: string } | { kind: 'member'; member_id: string; organization_id: string };

export interface GrantRecord {
  grant_id: string;
  client_id: string;
  subject: GrantSubject;
  /** The scopes granted at authorization; refreshes may narrow, never widen. */
  scopes: string[];
  /** The session the authorization was made with (session_token / session_jwt), for exchange_access_token. */
  session_id?: string;
  /** When the person authorized (epoch seconds). */
  auth_time: number;
  created_at: number;
  /** Until the last code or token issued under it expires; then the grant is purged with them. */
  expires_at: number;
  revoked_at?: number;
  revoked_reason?: string;
}

export interface AccessTokenRecord {
  jti: string;
  grant_id: string;
  client_id: string;
  scopes: string[];
  exp: number;
  revoked_at?: number;
}

export interface RefreshTokenRecord {
  grant_id: string;
  client_id: string;
  /** `rotated`: replaced by a newer token; presenting it again is reuse and revokes the grant. */
  status: 'active' | 'rotated';
  issued_at: number;
  expires_at: number;
}

export function subjectId(subject: GrantSubject): string {
  return subject.kind === 'user' ? subject.user_id : subject.member_id;
}

export function grantsOf(ctx: Pick<EmulatorContext, 'store'>) {
  return {
    grants: ctx.store.collection<GrantRecord>('grants'),
    accessTokens: ctx.store.collection<AccessTokenRecord>('access_tokens'),
    refreshTokens: ctx.store.collection<RefreshTokenRecord>('refresh_tokens'),
  };
}

/** `lifetimeSeconds`: how long the grant lives before anything else is issued under it (its code's lifetime). */
export function createGrant(
  ctx: EmulatorContext,
  init: { client_id: string; subject: GrantSubject; scopes: string[]; session_id?: string | undefined },
  lifetimeSeconds: number,
): GrantRecord {
  const now = ctx.now();
  const grant: GrantRecord = {
    grant_id: newId(ctx, 'grant'),
    client_id: init.client_id,
    subject: init.subject,
    scopes: init.scopes,
    ...(init.session_id ? { session_id: init.session_id } : {}),
    auth_time: now,
    created_at: now,
    expires_at: now + lifetimeSeconds,
  };
  putGrant(ctx, grant);
  return grant;
}

function putGrant(ctx: Pick<EmulatorContext, 'store'>, grant: GrantRecord): void {
  grantsOf(ctx).grants.put(grant.grant_id, grant, { lookup: `${grant.client_id} ${subjectId(grant.subject)}`, expiresAt: grant.expires_at });
}

/** Keeps the grant at least as long as a token issued under it. */
function extendGrant(ctx: Pick<EmulatorContext, 'store'>, grantId: string, until: number): void {
  const grant = grantsOf(ctx).grants.get(grantId);
  if (grant && grant.expires_at < until) putGrant(ctx, { ...grant, expires_at: until });
}

/** The grant if it exists and was not revoked. */
export function activeGrant(ctx: Pick<EmulatorContext, 'store'>, grantId: string): GrantRecord | undefined {
  const grant = grantsOf(ctx).grants.get(grantId);
  return grant && grant.revoked_at === undefined ? grant : undefined;
}

/** Revokes the grant and every token issued under it. Idempotent. */
export function revokeGrant(ctx: EmulatorContext, grantId: string, reason: string): void {
  const now = ctx.now();
  const { grants, accessTokens, refreshTokens } = grantsOf(ctx);
  ctx.store.transaction(() => {
    const grant = grants.update(grantId, (g) => (g.revoked_at === undefined ? { ...g, revoked_at: now, revoked_reason: reason } : g));
    if (!grant) return;
    for (const t of accessTokens.listByLookup(grantId)) {
      if (t.revoked_at === undefined) accessTokens.update(t.jti, (r) => ({ ...r, revoked_at: now }));
    }
    // A deleted refresh token is unknown, and an unknown one gets `invalid_grant` like a revoked one would.
    refreshTokens.deleteWhere((r) => r.grant_id === grantId);
  });
  ctx.log.info({ grant_id: grantId, reason }, 'grant revoked with all its tokens');
}

/** Every grant of one client for one person (user or member), e.g. for "revoke this Connected App". */
export function grantsFor(ctx: Pick<EmulatorContext, 'store'>, clientId: string, subject: string): GrantRecord[] {
  return grantsOf(ctx).grants.listByLookup(`${clientId} ${subject}`);
}

/** Deleting a client: all its grants, tokens, codes and consents go. */
export function revokeEverythingOfClient(ctx: EmulatorContext, clientId: string): void {
  const { grants, accessTokens, refreshTokens } = grantsOf(ctx);
  const ids = new Set(
    grants
      .all()
      .filter((g) => g.client_id === clientId)
      .map((g) => g.grant_id),
  );
  for (const id of ids) revokeGrant(ctx, id, 'client deleted');
  accessTokens.deleteWhere((t) => t.client_id === clientId && t.revoked_at !== undefined);
  refreshTokens.deleteWhere((t) => t.client_id === clientId);
  ctx.store.collection<{ client_id: string }>('codes').deleteWhere((c) => c.client_id === clientId);
  ctx.store.collection<{ client_id: string }>('consents').deleteWhere((c) => c.client_id === clientId);
}

// ---------------------------------------------------------------------------------------------------------
// Tokens under a grant.

export function recordAccessToken(ctx: EmulatorContext, record: AccessTokenRecord): void {
  grantsOf(ctx).accessTokens.put(record.jti, record, { lookup: record.grant_id, expiresAt: record.exp });
  extendGrant(ctx, record.grant_id, record.exp);
}

/** The live record of an access token's `jti`, if neither it nor its grant was revoked. */
export function activeAccessToken(ctx: Pick<EmulatorContext, 'store'>, jti: unknown): { token: AccessTokenRecord; grant: GrantRecord } | undefined {
  if (typeof jti !== 'string' || !jti) return undefined;
  const token = grantsOf(ctx).accessTokens.get(jti);
  if (!token || token.revoked_at !== undefined) return undefined;
  const grant = activeGrant(ctx, token.grant_id);
  return grant ? { token, grant } : undefined;
}

export function revokeAccessToken(ctx: EmulatorContext, jti: string): void {
  grantsOf(ctx).accessTokens.update(jti, (t) => (t.revoked_at === undefined ? { ...t, revoked_at: ctx.now() } : t));
}

/** Opaque, 44 base64url characters like Stytch's (33 random bytes). Only its SHA-256 is stored. */
export function issueRefreshToken(ctx: EmulatorContext, grant: GrantRecord, lifetimeSeconds: number): string {
  const token = randomBytes(33).toString('base64url');
  const now = ctx.now();
  const record: RefreshTokenRecord = {
    grant_id: grant.grant_id,
    client_id: grant.client_id,
    status: 'active',
    issued_at: now,
    expires_at: now + lifetimeSeconds,
  };
  grantsOf(ctx).refreshTokens.put(sha256Hex(token), record, { lookup: grant.grant_id, expiresAt: record.expires_at });
  extendGrant(ctx, grant.grant_id, record.expires_at);
  return token;
}

export function findRefreshToken(ctx: Pick<EmulatorContext, 'store'>, token: string): { id: string; record: RefreshTokenRecord } | undefined {
  const id = sha256Hex(token);
  const record = grantsOf(ctx).refreshTokens.get(id);
  return record ? { id, record } : undefined;
}

export function markRefreshToken(ctx: EmulatorContext, id: string, change: Partial<Pick<RefreshTokenRecord, 'status' | 'expires_at'>>): void {
  const { refreshTokens } = grantsOf(ctx);
  const current = refreshTokens.get(id);
  if (!current) return;
  const next = { ...current, ...change };
  // Re-put so that a new expiry also moves the store's purge time.
  refreshTokens.put(id, next, { lookup: next.grant_id, expiresAt: next.expires_at });
  extendGrant(ctx, next.grant_id, next.expires_at);
}
