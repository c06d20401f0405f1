/**
 * B2B organizations and members: `organizations.create/get`, `organizations.members.create/get` (Basic auth).
 * Where Stytch takes an `organization_id`, the organization's slug is accepted too.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { findMemberByEmail, requireMember } from '../../identity/lookup.ts';
import { createMember, createOrganization, resolveOrganization } from '../../identity/organizations.ts';
import { email, metadata, parseBody, phoneNumber } from '../../identity/validate.ts';

const allowedType = z.enum(['ALL_ALLOWED', 'RESTRICTED', 'NOT_ALLOWED']);

const createOrganizationSchema = z.object({
  organization_name: z.string().min(1).max(128),
  organization_slug: z.string().optional(),
  organization_logo_url: z.string().optional(),
  trusted_metadata: metadata.optional(),
  organization_external_id: z.string().optional(),
  email_allowed_domains: z.array(z.string()).optional(),
  email_jit_provisioning: z.string().optional(),
  email_invites: z.string().optional(),
  sso_jit_provisioning: z.string().optional(),
  auth_methods: z.string().optional(),
  allowed_auth_methods: z.array(z.string()).optional(),
  mfa_policy: z.string().optional(),
  mfa_methods: z.string().optional(),
  allowed_mfa_methods: z.array(z.string()).optional(),
  oauth_tenant_jit_provisioning: z.string().optional(),
  claimed_email_domains: z.array(z.string()).optional(),
  first_party_connected_apps_allowed_type: allowedType.optional(),
  allowed_first_party_connected_apps: z.array(z.string()).optional(),
  third_party_connected_apps_allowed_type: allowedType.optional(),
  allowed_third_party_connected_apps: z.array(z.string()).optional(),
});

const createMemberSchema = z.object({
  email_address: email,
  name: z.string().max(256).optional(),
  trusted_metadata: metadata.optional(),
  untrusted_metadata: metadata.optional(),
  create_member_as_pending: z.boolean().optional(),
  is_breakglass: z.boolean().optional(),
  mfa_phone_number: phoneNumber.optional(),
  mfa_enrolled: z.boolean().optional(),
  roles: z.array(z.string().min(1)).optional(),
  external_id: z.string().max(128).optional(),
});

export default function organizationRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  router.post('/v1/b2b/organizations', auth, (req, res) => {
    const { organization_name, organization_slug, ...settings } = parseBody(createOrganizationSchema, req.body);
    const { organization } = createOrganization(ctx, { organization_name, organization_slug, settings });
    send(res, { organization });
  });

  router.get('/v1/b2b/organizations/:organization_id', auth, (req, res) => {
    send(res, { organization: resolveOrganization(ctx, req.params.organization_id) });
  });

  router.post('/v1/b2b/organizations/:organization_id/members', auth, (req, res) => {
    const organization = resolveOrganization(ctx, req.params.organization_id);
    const body = parseBody(createMemberSchema, req.body);
    const { member } = createMember(ctx, organization.organization_id, {
      email_address: body.email_address,
      name: body.name,
      roles: body.roles,
      pending: body.create_member_as_pending,
      is_breakglass: body.is_breakglass,
      mfa_phone_number: body.mfa_phone_number,
      mfa_enrolled: body.mfa_enrolled,
      external_id: body.external_id,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
    });
    send(res, { member_id: member.member_id, member, organization });
  });

  // `organizations.members.get`: one member by member_id or by email_address (note the singular path).
  router.get('/v1/b2b/organizations/:organization_id/member', auth, (req, res) => {
    const organization = resolveOrganization(ctx, req.params.organization_id);
    const memberId = typeof req.query.member_id === 'string' ? req.query.member_id : undefined;
    const emailAddress = typeof req.query.email_address === 'string' ? req.query.email_address : undefined;
    if (!memberId === !emailAddress) throw new StytchApiError('bad_request', 'Provide exactly one of member_id or email_address.');
    const member = memberId
      ? requireMember(ctx, organization.organization_id, memberId).member
      : findMemberByEmail(ctx, organization.organization_id, emailAddress!)?.member;
    if (!member) throw new StytchApiError('member_not_found', 'Member could not be found.');
    send(res, { member_id: member.member_id, member, organization });
  });

  return router;
}
