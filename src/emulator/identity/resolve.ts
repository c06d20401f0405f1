/**
 * Who an IDP call (authorize/start, authorize) is about. Stytch identifies the person by exactly one of:
 *   Consumer: `user_id` | `session_token` | `session_jwt`
 *   B2B:      `organization_id` + `member_id` | `session_token` | `session_jwt`
 * and answers 400 when none or several are given, 404 when the user, member or session does not exist,
 * 401 when a session JWT does not verify or has expired.
 *
 * UNCONFIRMED: whether the IDP endpoints, like sessions.authenticate, accept a session JWT past its
 * 5-minute `exp` while the session lives. The emulator does not (a stale JWT is refused with 401), which
 * is the stricter reading; an auth-server should prefer the opaque session_token here.
 */
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { requireMember, requireOrganization, requireUser } from './lookup.ts';
import type { Identity, MemberIdentity, UserIdentity } from './model.ts';
import { exactlyOneCredential, findMemberSession, findUserSession } from './sessions.ts';

/** The identity fields of an IDP request body (other fields are ignored). */
export interface IdentityFields {
  user_id?: unknown;
  organization_id?: unknown;
  member_id?: unknown;
  session_token?: unknown;
  session_jwt?: unknown;
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** None given, or several: Stytch's two names for the IDP endpoints' user selector. */
function identifierError(count: number, message: string): StytchApiError {
  return new StytchApiError(count === 0 ? 'no_oauth_authorize_user_selector' : 'too_many_user_selection_arguments', message);
}

export function resolveIdentity(ctx: EmulatorContext, fields: IdentityFields): Promise<Identity> {
  return ctx.projectType === 'b2b' ? resolveMember(ctx, fields) : resolveUser(ctx, fields);
}

export async function resolveUser(ctx: EmulatorContext, fields: IdentityFields): Promise<UserIdentity> {
  const given = (['user_id', 'session_token', 'session_jwt'] as const).filter((k) => present(fields[k]));
  if (given.length !== 1) {
    throw identifierError(
      given.length,
      `Identify the user with exactly one of user_id, session_token or session_jwt (got ${given.length ? given.join(', ') : 'none'}).`,
    );
  }
  if (given[0] === 'user_id') return { kind: 'user', user: requireUser(ctx, fields.user_id).user };
  exactlyOneCredential(fields);
  const found = await findUserSession(ctx, fields, { allowExpiredJwt: false });
  return { kind: 'user', user: requireUser(ctx, found.record.session.user_id).user, session: found.record.session };
}

export async function resolveMember(ctx: EmulatorContext, fields: IdentityFields): Promise<MemberIdentity> {
  const byId = present(fields.organization_id) || present(fields.member_id);
  const given = [byId && 'organization_id+member_id', present(fields.session_token) && 'session_token', present(fields.session_jwt) && 'session_jwt'].filter(
    (g): g is string => typeof g === 'string',
  );
  if (given.length !== 1) {
    throw identifierError(
      given.length,
      `Identify the member with exactly one of organization_id + member_id, session_token or session_jwt (got ${given.length ? given.join(', ') : 'none'}).`,
    );
  }
  if (byId) {
    if (!present(fields.organization_id) || !present(fields.member_id)) {
      throw new StytchApiError('bad_request', 'organization_id and member_id must be given together.');
    }
    const organization = requireOrganization(ctx, fields.organization_id).organization;
    return { kind: 'member', organization, member: requireMember(ctx, organization.organization_id, fields.member_id).member };
  }
  const found = await findMemberSession(ctx, fields, { allowExpiredJwt: false });
  const session = found.record.member_session;
  const organization = requireOrganization(ctx, session.organization_id).organization;
  return { kind: 'member', organization, member: requireMember(ctx, organization.organization_id, session.member_id).member, session };
}
