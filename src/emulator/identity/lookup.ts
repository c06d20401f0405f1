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

export function requireOrganization(ctx: EmulatorContext, organizationId: unknown): OrganizationRecord {
  const record = typeof organizationId === 'string' && organizationId ? collections(ctx).organizations.get(organizationId) : undefined;
  if (!record) throw new StytchApiError('organization_not_found', 'Organization could not be found.');
  return record;
}

/** A member of the given organization (a member id of another organization is not found). */
export function requireMember(ctx: EmulatorContext, organizationId: string, memberId: unknown): MemberRecord {
  const record = typeof memberId === 'string' && memberId ? collections(ctx).members.get(memberId) : undefined;
  if (!record || record.member.organization_id !== organizationId) {
    throw new StytchApiError('member_not_found', 'Member could not be found.');
  }
  return record;
}

export function findMemberByEmail(ctx: EmulatorContext, organizationId: string, email: string): MemberRecord | undefined {
  return collections(ctx).members.findByLookup(memberLookup(organizationId, email));
}
