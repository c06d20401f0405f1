/**
 * The identity half of the emulator: what is stored and what goes on the wire.
 *
 * Wire objects are the SDK's own types (`stytch` exports them), so a field the SDK expects cannot be
 * forgotten. Each stored record wraps its wire object with the private fields Stytch never returns
 * (password hashes, session-token hashes). Session tokens are stored only as SHA-256 hashes (the lookup key).
 *
 * Collections (kind → id, lookup):
 *   users            user_id            → lowercased email
 *   sessions         session_id         → sha256(session_token)   expires with the session
 *   organizations    organization_id    → lowercased slug
 *   members          member_id          → `${organization_id} ${lowercased email}`
 *   member_sessions  member_session_id  → sha256(session_token)   expires with the session
 */
import type { AuthenticationFactor, Member, MemberSession, Organization, Session, User } from 'stytch';
import type { EmulatorContext } from '../context.ts';
import type { Collection } from '../store.ts';

export type { AuthenticationFactor, Member, MemberSession, Organization, Session, User };

export const COLLECTIONS = {
  users: 'users',
  sessions: 'sessions',
  organizations: 'organizations',
  members: 'members',
  memberSessions: 'member_sessions',
} as const;

/** A password hash as stored: never the password. `scrypt` is what the emulator computes itself. */
export interface PasswordHash {
  /** `scrypt` for passwords set through the API or the seed; `pbkdf_2` only for migrated hashes. */
  algorithm: 'scrypt' | 'pbkdf_2';
  /** Base64 of the derived key / digest. */
  hash: string;
  /** Base64 salt (empty if the migrated hash had none). */
  salt: string;
  /** scrypt: N, r, p, keylen; pbkdf_2: iterations, keylen, sha512 (1 for SHA-512, else SHA-256). */
  params: Record<string, number>;
}

export interface UserRecord {
  user: User;
  password?: PasswordHash;
}

export interface SessionRecord {
  session: Session;
  /** sha256(session_token), hex; also the collection's lookup key. */
  token_hash: string;
}

export interface OrganizationRecord {
  organization: Organization;
}

export interface MemberRecord {
  member: Member;
  password?: PasswordHash;
}

export interface MemberSessionRecord {
  member_session: MemberSession;
  token_hash: string;
}

/** Normalised email for lookups: Stytch treats addresses case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function memberLookup(organizationId: string, email: string): string {
  return `${organizationId} ${normalizeEmail(email)}`;
}

export interface IdentityCollections {
  users: Collection<UserRecord>;
  sessions: Collection<SessionRecord>;
  organizations: Collection<OrganizationRecord>;
  members: Collection<MemberRecord>;
  memberSessions: Collection<MemberSessionRecord>;
}

/**
 * People and organizations are read by id at every step of a flow (authorize start and submit, token, userinfo)
 * and rarely written: their documents are kept in memory (store.ts, `cacheById`), written through as before.
 */
export function collections(ctx: Pick<EmulatorContext, 'store'>): IdentityCollections {
  return {
    users: ctx.store.collection<UserRecord>(COLLECTIONS.users, { cacheById: true }),
    sessions: ctx.store.collection<SessionRecord>(COLLECTIONS.sessions),
    organizations: ctx.store.collection<OrganizationRecord>(COLLECTIONS.organizations, { cacheById: true }),
    members: ctx.store.collection<MemberRecord>(COLLECTIONS.members, { cacheById: true }),
    memberSessions: ctx.store.collection<MemberSessionRecord>(COLLECTIONS.memberSessions),
  };
}

/** Who an IDP or session call is about: a Consumer user, or a B2B member with their organization. */
export type Identity = UserIdentity | MemberIdentity;

export interface UserIdentity {
  kind: 'user';
  user: User;
  /** Present when the identity came from a session token or JWT. */
  session?: Session;
}

export interface MemberIdentity {
  kind: 'member';
  member: Member;
  organization: Organization;
  session?: MemberSession;
}

/** Whether two stored documents are the same apart from `updated_at` (idempotent seeding keeps the old one). */
export function sameDocument(a: unknown, b: unknown): boolean {
  const strip = (v: unknown) => JSON.stringify(v, (key, value: unknown) => (key === 'updated_at' ? undefined : value));
  return strip(a) === strip(b);
}

/** RFC 3339 timestamp (second precision, as Stytch writes them) of epoch seconds. */
export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The password factor Stytch puts on a session after a password login. */
export function passwordFactor(now: number, email?: { email_id: string; email_address: string }): AuthenticationFactor {
  return {
    type: 'password',
    delivery_method: 'knowledge',
    last_authenticated_at: isoTime(now),
    created_at: isoTime(now),
    updated_at: isoTime(now),
    ...(email ? { email_factor: { email_id: email.email_id, email_address: email.email_address } } : {}),
  };
}
