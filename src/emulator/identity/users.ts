/**
 * Consumer users: create (with or without a password), read, delete, and password login.
 * One email belongs to at most one user (Stytch's 409 `duplicate_email`).
 */
import { newId, type EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from './login-limit.ts';
import { requireUser } from './lookup.ts';
import { collections, isoTime, normalizeEmail, sameDocument, type PasswordHash, type User, type UserRecord } from './model.ts';
import { checkLoginPassword, withUpgradedHash } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';

/** The default role every Consumer user has (Stytch RBAC). */
export const DEFAULT_USER_ROLE = 'stytch_user';

export interface NewUser {
  /** Fixed by the seed; generated otherwise. */
  user_id?: string;
  email?: string | undefined;
  email_verified?: boolean;
  phone_number?: string | undefined;
  phone_number_verified?: boolean;
  name?: User['name'] | undefined;
  pending?: boolean;
  trusted_metadata?: Record<string, unknown> | undefined;
  untrusted_metadata?: Record<string, unknown> | undefined;
  external_id?: string | undefined;
  roles?: string[] | undefined;
  password?: PasswordHash;
}

function assertEmailFree(ctx: EmulatorContext, email: string, exceptUserId?: string): void {
  const owner = collections(ctx).users.findByLookup(normalizeEmail(email));
  if (owner && owner.user.user_id !== exceptUserId) {
    throw new StytchApiError('duplicate_email', 'A user with this email already exists for this project.');
  }
}

export function buildUser(ctx: EmulatorContext, input: NewUser, existing?: User): User {
  const emailId = existing?.emails[0]?.email_id ?? newId(ctx, 'email');
  const phoneId = existing?.phone_numbers[0]?.phone_id ?? newId(ctx, 'phone-number');
  const roles = [DEFAULT_USER_ROLE, ...(input.roles ?? []).filter((r) => r !== DEFAULT_USER_ROLE)];
  return {
    user_id: input.user_id ?? existing?.user_id ?? newId(ctx, 'user'),
    emails: input.email ? [{ email_id: emailId, email: input.email, verified: input.email_verified ?? false }] : [],
    status: input.pending ? 'pending' : 'active',
    phone_numbers: input.phone_number ? [{ phone_id: phoneId, phone_number: input.phone_number, verified: input.phone_number_verified ?? false }] : [],
    webauthn_registrations: [],
    providers: [],
    totps: [],
    crypto_wallets: [],
    biometric_registrations: [],
    is_locked: false,
    roles,
    name: { first_name: input.name?.first_name ?? '', middle_name: input.name?.middle_name ?? '', last_name: input.name?.last_name ?? '' },
    created_at: existing?.created_at ?? isoTime(ctx.now()),
    trusted_metadata: input.trusted_metadata ?? {},
    untrusted_metadata: input.untrusted_metadata ?? {},
    ...(input.external_id ? { external_id: input.external_id } : {}),
  };
}

/** Adds the public `password` object when the user has a password; its id stays stable across updates. */
function withPassword(ctx: EmulatorContext, user: User, password: PasswordHash | undefined, existing?: User): User {
  return password ? { ...user, password: { password_id: existing?.password?.password_id ?? newId(ctx, 'password'), requires_reset: false } } : user;
}

function save(ctx: EmulatorContext, record: UserRecord): UserRecord {
  const email = record.user.emails[0]?.email;
  return collections(ctx).users.put(record.user.user_id, record, { lookup: email ? normalizeEmail(email) : undefined });
}

export function createUser(ctx: EmulatorContext, input: NewUser): UserRecord {
  if (input.email) assertEmailFree(ctx, input.email);
  if (input.user_id && collections(ctx).users.get(input.user_id)) {
    throw new StytchApiError('bad_request', `A user with id ${input.user_id} already exists.`);
  }
  const user = withPassword(ctx, buildUser(ctx, input), input.password);
  return save(ctx, { user, ...(input.password ? { password: input.password } : {}) });
}

/** Creates or replaces a user with a fixed id (the seed); keeps ids of emails and phone numbers stable. */
export function upsertUser(ctx: EmulatorContext, input: NewUser & { user_id: string }): UserRecord {
  const existing = collections(ctx).users.get(input.user_id);
  if (input.email) assertEmailFree(ctx, input.email, input.user_id);
  const password = input.password ?? existing?.password;
  const user = withPassword(ctx, buildUser(ctx, input, existing?.user), password, existing?.user);
  const record: UserRecord = { user, ...(password ? { password } : {}) };
  if (existing && sameDocument(existing, record)) return existing;
  return save(ctx, record);
}

export function getUser(ctx: EmulatorContext, userId: string): User {
  return requireUser(ctx, userId).user;
}

export function findUserByEmail(ctx: EmulatorContext, email: string): UserRecord | undefined {
  return collections(ctx).users.findByLookup(normalizeEmail(email));
}

/** Deletes a user and every session they have. */
export function deleteUser(ctx: EmulatorContext, userId: string): void {
  requireUser(ctx, userId);
  revokeUserSessions(ctx, (s) => s.user_id === userId);
  collections(ctx).users.delete(userId);
}

/**
 * Checks an email and password. Unknown email: 404 `email_not_found` (Stytch documents it). Wrong password:
 * 401 `unauthorized_credentials` (UNCONFIRMED: the probable Stytch answer). Too many failures for the email:
 * 429 `too_many_requests`. An outdated hash is replaced on success (checkLoginPassword).
 */
export async function authenticatePassword(ctx: EmulatorContext, email: string, password: string): Promise<UserRecord> {
  const account = `consumer ${normalizeEmail(email)}`;
  assertLoginAllowed(ctx, account);
  const record = findUserByEmail(ctx, email);
  if (!record) {
    recordLoginFailure(ctx, account);
    throw new StytchApiError('email_not_found', 'Email could not be found.');
  }
  const upgrade = (upgraded: PasswordHash, replaced: PasswordHash) =>
    collections(ctx).users.update(record.user.user_id, (current) => withUpgradedHash(current, upgraded, replaced));
  if (!(await checkLoginPassword(password, record.password, upgrade))) {
    recordLoginFailure(ctx, account);
    throw new StytchApiError('unauthorized_credentials', 'The email or password is incorrect.');
  }
  clearLoginFailures(ctx, account);
  return record;
}
