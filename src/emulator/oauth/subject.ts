/**
 * The person behind a grant, loaded fresh at each token, refresh and userinfo request, so that claims follow
 * profile changes and a deleted user or member can no longer use their tokens.
 */
import type { EmulatorContext } from '../context.ts';
import { collections, type Identity } from '../identity/model.ts';
import type { GrantSubject } from './grants.ts';

export function identityOf(ctx: EmulatorContext, subject: GrantSubject): Identity | undefined {
  const store = collections(ctx);
  if (subject.kind === 'user') {
    const user = store.users.get(subject.user_id)?.user;
    return user ? { kind: 'user', user } : undefined;
  }
  const member = store.members.get(subject.member_id)?.member;
  const organization = store.organizations.get(subject.organization_id)?.organization;
  if (!member || !organization || member.organization_id !== organization.organization_id) return undefined;
  return { kind: 'member', member, organization };
}

export function subjectOf(identity: Identity): GrantSubject {
  return identity.kind === 'user'
    ? { kind: 'user', user_id: identity.user.user_id }
    : { kind: 'member', member_id: identity.member.member_id, organization_id: identity.organization.organization_id };
}
