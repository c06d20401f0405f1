/**
 * B2B passwords: `passwords.migrate` (import a hash; the way to give a member a password, since B2B has no
 * passwords.create) and `passwords.authenticate`. The emulator always completes the login: a real member
 * session, `member_authenticated: true`, `intermediate_session_token: ""`, `mfa_required: null`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { passwordFactor, type MemberSession } from '../../identity/model.ts';
import { authenticateMemberPassword, migrateMemberPassword, resolveOrganization } from '../../identity/organizations.ts';
import { strengthCheck } from '../../identity/password-strength.ts';
import { importHash } from '../../identity/passwords.ts';
import { createSession, exactlyOneCredential, findMemberSession, touchMemberSession, withFactor, type IssuedSession } from '../../identity/sessions.ts';
import { email, metadata, notEmulated, parseBody, phoneNumber } from '../../identity/validate.ts';

/** Stytch's default for B2B password logins. */
const DEFAULT_SESSION_MINUTES = 60;

const migrateSchema = z.object({
  organization_id: z.string().min(1),
  email_address: email,
  hash: z.string().min(1),
  hash_type: z.string().min(1),
  scrypt_config: z.record(z.string(), z.unknown()).optional(),
  pbkdf_2_config: z.record(z.string(), z.unknown()).optional(),
  md_5_config: z.unknown().optional(),
  argon_2_config: z.unknown().optional(),
  sha_1_config: z.unknown().optional(),
  sha_512_config: z.unknown().optional(),
  name: z.string().max(256).optional(),
  trusted_metadata: metadata.optional(),
  untrusted_metadata: metadata.optional(),
  roles: z.array(z.string().min(1)).optional(),
  preserve_existing_sessions: z.boolean().optional(),
  mfa_phone_number: phoneNumber.optional(),
  set_phone_number_verified: z.boolean().optional(),
  external_id: z.string().max(128).optional(),
});

const authenticateSchema = z.object({
  organization_id: z.string().min(1),
  email_address: email,
  password: z.string(),
  session_duration_minutes: z.number().optional(),
  session_custom_claims: metadata.optional(),
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
  intermediate_session_token: z.string().optional(),
  locale: z.string().optional(),
});

export default function b2bPasswordRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  // passwords.strengthCheck: Stytch's default zxcvbn policy; B2B names the feedback `zxcvbn_feedback`.
  router.post('/v1/b2b/passwords/strength_check', auth, async (req, res) => {
    const body = parseBody(z.object({ password: z.string().min(1), email_address: z.string().optional() }), req.body);
    const { feedback, ...check } = await strengthCheck(body.password, body.email_address);
    send(res, { ...check, zxcvbn_feedback: feedback });
  });

  router.post('/v1/b2b/passwords/migrate', auth, (req, res) => {
    const body = parseBody(migrateSchema, req.body);
    const organization = resolveOrganization(ctx, body.organization_id);
    const { record, created } = migrateMemberPassword(
      ctx,
      organization.organization_id,
      {
        email_address: body.email_address,
        name: body.name,
        roles: body.roles,
        mfa_phone_number: body.mfa_phone_number,
        mfa_phone_number_verified: body.set_phone_number_verified,
        external_id: body.external_id,
        trusted_metadata: body.trusted_metadata,
        untrusted_metadata: body.untrusted_metadata,
        password: importHash(body),
      },
      body.preserve_existing_sessions ?? false,
    );
    send(res, { member_id: record.member.member_id, member_created: created, member: record.member, organization });
  });

  router.post('/v1/b2b/passwords/authenticate', auth, async (req, res) => {
    const body = parseBody(authenticateSchema, req.body);
    if (body.intermediate_session_token) throw notEmulated('passwords.authenticate with an intermediate_session_token');
    exactlyOneCredential(body);
    const organization = resolveOrganization(ctx, body.organization_id);
    const { member } = await authenticateMemberPassword(ctx, organization.organization_id, body.email_address, body.password);
    const factor = passwordFactor(ctx.now());
    let issued: IssuedSession<MemberSession>;
    if (body.session_token || body.session_jwt) {
      const found = await findMemberSession(ctx, body, { allowExpiredJwt: true });
      if (found.record.member_session.member_id !== member.member_id) {
        throw new StytchApiError('member_session_member_id_mismatch', 'The session belongs to another member.');
      }
      issued = await touchMemberSession(ctx, found, body.session_duration_minutes, (s) => withFactor(s, factor));
    } else {
      issued = await createSession(ctx, { kind: 'member', member, organization }, body.session_duration_minutes ?? DEFAULT_SESSION_MINUTES, [factor], {
        customClaims: body.session_custom_claims,
      });
    }
    send(res, {
      member_id: member.member_id,
      organization_id: organization.organization_id,
      member,
      organization,
      session_token: issued.session_token,
      session_jwt: issued.session_jwt,
      member_session: issued.session,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
      primary_required: null,
    });
  });

  return router;
}
