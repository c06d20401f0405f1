/**
 * Finding users, organizations and members by id, with Stytch's 404s when they do not exist.
 */
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { collections, memberLookup, type MemberRecord, type OrganizationRecord, type UserRecord } from './model.ts';

export function requireUser(ctx: EmulatorContext, userId: unknown): UserRecord {
  const record = typeof userId === 'string' && userId ? collections(ctx).users.get(userId) : undefined;
  if (!record) throw new StytchApiError('user_not_found', 'User could not be found.');
  return record;
}

/**
 * An organization by its `organization_id`, its slug or its external id: the SDK documents each
 * `organization_id` field with "You may also use the organization_slug or organization_external_id here as a
 * convenience" (types/lib/b2b/organizations.d.ts).
 */
export function requireOrganization(ctx: EmulatorContext, organizationId: unknown): OrganizationRecord {
  const { organizations } = collections(ctx);
  const key = typeof organizationId === 'string' ? organizationId : '';
  const record =
    (key && organizations.get(key)) ||
    (key && organizations.findByLookup(key.toLowerCase())) ||
    (key ? organizations.all().find((o) => (o.organization as { organization_external_id?: string }).organization_external_id === key) : undefined);
  if (!record) throw new StytchApiError('organization_not_found', 'Organization could not be found.');
  return record;
}

/**
 * A member of the given organization (a member id of another organization is not found), by `member_id` or
 * by external id: "You may use an external_id here if one is set for the member" (types/lib/b2b/organizations_members.d.ts).
 */
export function requireMember(ctx: EmulatorContext, organizationId: string, memberId: unknown): MemberRecord {
  const { members } = collections(ctx);
  const key = typeof memberId === 'string' ? memberId : '';
  const byId = key ? members.get(key) : undefined;
  const record =
    byId && byId.member.organization_id === organizationId
      ? byId
      : key
        ? members.all().find((m) => m.member.organization_id === organizationId && m.member.external_id === key)
        : undefined;
  if (!record || record.member.organization_id !== organizationId) {
    throw new StytchApiError('member_not_found', 'Member could not be found.');
  }
  return record;
}

export function findMemberByEmail(ctx: EmulatorContext, organizationId: string, email: string): MemberRecord | undefined {
  return collections(ctx).members.findByLookup(memberLookup(organizationId, email));
}
