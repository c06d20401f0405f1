/**
 * B2B organizations and their members: create, read, password import (`passwords.migrate`) and password login.
 * An organization is found by id or by slug (Stytch accepts either where it takes an `organization_id`);
 * an email belongs to at most one member per organization.
 */
import { newId, type EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from './login-limit.ts';
import { findMemberByEmail, requireOrganization } from './lookup.ts';
import {
  collections,
  isoTime,
  memberLookup,
  normalizeEmail,
  sameDocument,
  type Member,
  type MemberRecord,
  type Organization,
  type OrganizationRecord,
  type PasswordHash,
} from './model.ts';
import { checkLoginPassword, withUpgradedHash } from './passwords.ts';
import { revokeMemberSessions } from './sessions.ts';

export const DEFAULT_MEMBER_ROLE = 'stytch_member';
export const ADMIN_ROLE = 'stytch_admin';
/** Stytch's slug alphabet: 2–128 of lowercase letters, digits and `-._~`. */
const SLUG = /^[a-z0-9\-._~]{2,128}$/;

/** The settings a caller may give at creation; everything else takes Stytch's defaults. */
export type OrganizationSettings = Partial<Omit<Organization, 'organization_id' | 'organization_name' | 'organization_slug' | 'created_at' | 'updated_at'>>;

export interface NewOrganization {
  organization_id?: string;
  organization_name: string;
  organization_slug?: string | undefined;
  settings?: OrganizationSettings;
}

function slugFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9\-._~]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
  return slug.length >= 2 ? slug : `org-${slug}`.slice(0, 128);
}

function buildOrganization(ctx: EmulatorContext, input: NewOrganization, existing?: Organization): Organization {
  const now = isoTime(ctx.now());
  const slug = input.organization_slug ?? existing?.organization_slug ?? slugFromName(input.organization_name);
  if (!SLUG.test(slug)) {
    throw new StytchApiError('invalid_organization_slug', 'organization_slug must be 2 to 128 lowercase letters, digits or -._~');
  }
  return {
    organization_logo_url: '',
    sso_jit_provisioning: 'ALL_ALLOWED',
    sso_jit_provisioning_allowed_connections: [],
    sso_active_connections: [],
    email_allowed_domains: [],
    email_jit_provisioning: 'NOT_ALLOWED',
    email_invites: 'ALL_ALLOWED',
    auth_methods: 'ALL_ALLOWED',
    allowed_auth_methods: [],
    mfa_policy: 'OPTIONAL',
    rbac_email_implicit_role_assignments: [],
    mfa_methods: 'ALL_ALLOWED',
    allowed_mfa_methods: [],
    oauth_tenant_jit_provisioning: 'NOT_ALLOWED',
    claimed_email_domains: [],
    first_party_connected_apps_allowed_type: 'ALL_ALLOWED',
    allowed_first_party_connected_apps: [],
    third_party_connected_apps_allowed_type: 'ALL_ALLOWED',
    allowed_third_party_connected_apps: [],
    custom_roles: [],
    trusted_metadata: {},
    ...input.settings,
    organization_id: input.organization_id ?? existing?.organization_id ?? newId(ctx, 'organization'),
    organization_name: input.organization_name,
    organization_slug: slug,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
}

function saveOrganization(ctx: EmulatorContext, organization: Organization): OrganizationRecord {
  const { organizations } = collections(ctx);
  const owner = organizations.findByLookup(organization.organization_slug);
  if (owner && owner.organization.organization_id !== organization.organization_id) {
    throw new StytchApiError('organization_slug_already_used', `The organization slug "${organization.organization_slug}" is already used.`);
  }
  return organizations.put(organization.organization_id, { organization }, { lookup: organization.organization_slug });
}

export function createOrganization(ctx: EmulatorContext, input: NewOrganization): OrganizationRecord {
  if (input.organization_id && collections(ctx).organizations.get(input.organization_id)) {
    throw new StytchApiError('duplicate_organization', `An organization with id ${input.organization_id} already exists.`);
  }
  return saveOrganization(ctx, buildOrganization(ctx, input));
}

/** Creates or replaces an organization with a fixed id (the seed). */
export function upsertOrganization(ctx: EmulatorContext, input: NewOrganization & { organization_id: string }): OrganizationRecord {
  const existing = collections(ctx).organizations.get(input.organization_id);
  const organization = buildOrganization(ctx, input, existing?.organization);
  if (existing && sameDocument(existing.organization, organization)) return existing;
  return saveOrganization(ctx, organization);
}

/** Finds an organization by id, slug or external id, as Stytch allows where it takes an `organization_id`. */
export function resolveOrganization(ctx: EmulatorContext, idOrSlug: unknown): Organization {
  return requireOrganization(ctx, idOrSlug).organization;
}

export interface NewMember {
  member_id?: string;
  email_address: string;
  email_address_verified?: boolean;
  name?: string | undefined;
  roles?: string[] | undefined;
  pending?: boolean | undefined;
  is_breakglass?: boolean | undefined;
  mfa_phone_number?: string | undefined;
  mfa_phone_number_verified?: boolean | undefined;
  mfa_enrolled?: boolean | undefined;
  external_id?: string | undefined;
  trusted_metadata?: Record<string, unknown> | undefined;
  untrusted_metadata?: Record<string, unknown> | undefined;
  password?: PasswordHash | undefined;
}

function buildMember(ctx: EmulatorContext, organizationId: string, input: NewMember, existing?: MemberRecord): MemberRecord {
  const now = isoTime(ctx.now());
  const roleIds = [DEFAULT_MEMBER_ROLE, ...(input.roles ?? []).filter((r) => r !== DEFAULT_MEMBER_ROLE)];
  const password = input.password ?? existing?.password;
  const old = existing?.member;
  const member: Member = {
    organization_id: organizationId,
    member_id: input.member_id ?? old?.member_id ?? newId(ctx, 'member'),
    email_address: input.email_address,
    status: input.pending ? 'pending' : 'active',
    name: input.name ?? old?.name ?? '',
    sso_registrations: [],
    is_breakglass: input.is_breakglass ?? false,
    member_password_id: password ? old?.member_password_id || newId(ctx, 'member-password') : '',
    oauth_registrations: [],
    email_address_verified: input.email_address_verified ?? old?.email_address_verified ?? false,
    mfa_phone_number_verified: input.mfa_phone_number ? (input.mfa_phone_number_verified ?? false) : false,
    is_admin: roleIds.includes(ADMIN_ROLE),
    totp_registration_id: '',
    retired_email_addresses: [],
    is_locked: false,
    mfa_enrolled: input.mfa_enrolled ?? false,
    mfa_phone_number: input.mfa_phone_number ?? '',
    default_mfa_method: '',
    roles: roleIds.map((role_id) => ({ role_id, sources: [{ type: 'direct_assignment', details: {} }] })),
    trusted_metadata: input.trusted_metadata ?? old?.trusted_metadata ?? {},
    untrusted_metadata: input.untrusted_metadata ?? old?.untrusted_metadata ?? {},
    created_at: old?.created_at ?? now,
    updated_at: now,
    ...(input.external_id ? { external_id: input.external_id } : {}),
  };
  return { member, ...(password ? { password } : {}) };
}

function saveMember(ctx: EmulatorContext, record: MemberRecord): MemberRecord {
  const { member } = record;
  const owner = findMemberByEmail(ctx, member.organization_id, member.email_address);
  if (owner && owner.member.member_id !== member.member_id) {
    throw new StytchApiError('duplicate_member_email', 'A member with this email address already exists in this organization.');
  }
  return collections(ctx).members.put(member.member_id, record, { lookup: memberLookup(member.organization_id, member.email_address) });
}

export function createMember(ctx: EmulatorContext, organizationId: string, input: NewMember): MemberRecord {
  requireOrganization(ctx, organizationId);
  if (input.member_id && collections(ctx).members.get(input.member_id)) {
    throw new StytchApiError('bad_request', `A member with id ${input.member_id} already exists.`);
  }
  return saveMember(ctx, buildMember(ctx, organizationId, input));
}

/** Creates or replaces a member with a fixed id (the seed); a missing `password` keeps the stored hash. */
export function upsertMember(ctx: EmulatorContext, organizationId: string, input: NewMember & { member_id: string }): MemberRecord {
  requireOrganization(ctx, organizationId);
  const existing = collections(ctx).members.get(input.member_id);
  if (existing && existing.member.organization_id !== organizationId) {
    throw new StytchApiError('bad_request', `Member ${input.member_id} belongs to another organization.`);
  }
  const record = buildMember(ctx, organizationId, input, existing);
  if (existing && sameDocument(existing, record)) return existing;
  return saveMember(ctx, record);
}

/**
 * `passwords.migrate`: sets an imported hash on the member with this email, creating the member if needed.
 * Existing sessions of an existing member are revoked unless `preserveSessions`.
 */
export function migrateMemberPassword(
  ctx: EmulatorContext,
  organizationId: string,
  input: NewMember & { password: PasswordHash },
  preserveSessions: boolean,
): { record: MemberRecord; created: boolean } {
  const existing = findMemberByEmail(ctx, organizationId, input.email_address);
  if (!existing) return { record: createMember(ctx, organizationId, input), created: true };
  const old = existing.member;
  const record = saveMember(
    ctx,
    buildMember(
      ctx,
      organizationId,
      {
        ...input,
        member_id: old.member_id,
        name: input.name ?? old.name,
        roles: input.roles ?? old.roles.map((r) => r.role_id),
        mfa_phone_number: input.mfa_phone_number ?? (old.mfa_phone_number || undefined),
        mfa_phone_number_verified: input.mfa_phone_number_verified ?? old.mfa_phone_number_verified,
        external_id: input.external_id ?? old.external_id,
        pending: old.status === 'pending',
      },
      existing,
    ),
  );
  if (!preserveSessions) revokeMemberSessions(ctx, (s) => s.member_id === old.member_id);
  return { record, created: false };
}

/**
 * Checks a member's email and password in one organization. UNCONFIRMED: Stytch's answers for an unknown
 * email (here 404 `member_not_found`) and a wrong password (here 401 `unauthorized_credentials`). An outdated
 * hash is replaced on success (checkLoginPassword).
 */
export async function authenticateMemberPassword(ctx: EmulatorContext, organizationId: string, email: string, password: string): Promise<MemberRecord> {
  const account = `b2b ${organizationId} ${normalizeEmail(email)}`;
  assertLoginAllowed(ctx, account);
  const record = findMemberByEmail(ctx, organizationId, email);
  if (!record) {
    recordLoginFailure(ctx, account);
    throw new StytchApiError('member_not_found', 'Member could not be found.');
  }
  const upgrade = (upgraded: PasswordHash, replaced: PasswordHash) =>
    collections(ctx).members.update(record.member.member_id, (current) => withUpgradedHash(current, upgraded, replaced));
  if (!(await checkLoginPassword(password, record.password, upgrade))) {
    recordLoginFailure(ctx, account);
    throw new StytchApiError('unauthorized_credentials', 'The email or password is incorrect.');
  }
  clearLoginFailures(ctx, account);
  return record;
}
