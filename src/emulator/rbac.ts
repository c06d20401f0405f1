/**
 * The project's RBAC policy (resources, roles, scopes) as far as Connected Apps need it:
 * - custom scopes and their descriptions for `scope_results` (ST-SCOPES);
 * - `is_grantable`: the person's roles cover every permission of the scope;
 * - the policy endpoints the SDK's local authorization checks fetch (`GET /v1/rbac/policy`,
 *   `GET /v1/b2b/rbac/policy`, `GET /v1/b2b/rbac/organizations/{org}`).
 *
 * Stored as one document (collection `rbac`, id `policy`), replaced by the seed.
 */
import { Router } from 'express';
import type { RBACPolicy, RBACPolicyResource, RBACPolicyRole, RBACPolicyScope } from 'stytch';
import { z } from 'zod';
import { requireProjectAuth } from './basic-auth.ts';
import type { EmulatorContext } from './context.ts';
import { send } from './errors.ts';
import type { Identity } from './identity/model.ts';
import { requireOrganization } from './identity/lookup.ts';

export type Policy = RBACPolicy;
type Permission = { resource_id: string; actions: string[] };

const permissionSchema = z.object({ resource_id: z.string().min(1), actions: z.array(z.string().min(1)).min(1) }).strict();

/** A scope token per RFC 6749 §3.3 (`%x21 / %x23-5B / %x5D-7E`), not one of the OIDC standard scopes. */
const scopeNameSchema = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is printable ASCII without space, " or \\');

export const rbacSeedSchema = z
  .object({
    resources: z
      .array(z.object({ resource_id: z.string().min(1), description: z.string().default(''), actions: z.array(z.string().min(1)) }).strict())
      .optional(),
    roles: z.array(z.object({ role_id: z.string().min(1), description: z.string().default(''), permissions: z.array(permissionSchema) }).strict()).default([]),
    scopes: z.array(z.object({ scope: scopeNameSchema, description: z.string().default(''), permissions: z.array(permissionSchema) }).strict()).default([]),
  })
  .strict();
export type RbacSeed = z.input<typeof rbacSeedSchema>;

/** Stytch's built-in roles, present in every policy (DOC rbac guides). */
const DEFAULT_ROLES: Record<EmulatorContext['projectType'], RBACPolicyRole[]> = {
  consumer: [{ role_id: 'stytch_user', description: 'Granted to all Users.', permissions: [] }],
  b2b: [
    { role_id: 'stytch_member', description: 'Granted to all Members.', permissions: [] },
    { role_id: 'stytch_admin', description: 'Granted to Organization admins.', permissions: [] },
  ],
};

function collection(ctx: Pick<EmulatorContext, 'store'>) {
  // Read by every scope check; replaced only by the seed.
  return ctx.store.collection<Policy>('rbac', { cacheById: true });
}

/** Replaces the policy with the seed's; built-in roles are kept unless the seed redefines them. */
export function applyRbacSeed(ctx: EmulatorContext, input: RbacSeed): Policy {
  const seed = rbacSeedSchema.parse(input);
  const roles = [...DEFAULT_ROLES[ctx.projectType].filter((d) => !seed.roles.some((r) => r.role_id === d.role_id)), ...seed.roles];
  const policy: Policy = {
    roles,
    scopes: seed.scopes,
    resources: seed.resources ?? deriveResources([...roles, ...seed.scopes]),
  };
  collection(ctx).put('policy', policy);
  return policy;
}

/** Resources named by the permissions, when the seed does not list them. */
function deriveResources(holders: Array<{ permissions: Permission[] }>): RBACPolicyResource[] {
  const actions = new Map<string, Set<string>>();
  for (const p of holders.flatMap((h) => h.permissions)) {
    const set = actions.get(p.resource_id) ?? new Set<string>();
    for (const a of p.actions) set.add(a);
    actions.set(p.resource_id, set);
  }
  return [...actions].map(([resource_id, set]) => ({ resource_id, description: '', actions: [...set] }));
}

export function getPolicy(ctx: EmulatorContext): Policy {
  return collection(ctx).get('policy') ?? { roles: DEFAULT_ROLES[ctx.projectType], scopes: [], resources: [] };
}

/** The role ids a person holds; the built-in default role always applies. */
export function rolesOf(identity: Identity): string[] {
  if (identity.kind === 'user') return [...new Set(['stytch_user', ...identity.user.roles])];
  return [...new Set(['stytch_member', ...identity.member.roles.map((r) => r.role_id)])];
}

/** Role definitions in force for the person: the project's, plus a B2B organization's custom roles. */
function rolesInForce(ctx: EmulatorContext, identity: Identity): RBACPolicyRole[] {
  const project = getPolicy(ctx).roles;
  if (identity.kind === 'user') return project;
  return [...project, ...(identity.organization.custom_roles ?? [])];
}

function covers(granted: Permission[], needed: Permission): boolean {
  return needed.actions.every((action) => granted.some((g) => g.resource_id === needed.resource_id && (g.actions.includes(action) || g.actions.includes('*'))));
}

/** True if the person's roles cover every permission the scope carries (ST-SCOPES). */
export function canGrantScope(ctx: EmulatorContext, identity: Identity, scope: RBACPolicyScope): boolean {
  const held = new Set(rolesOf(identity));
  const granted = rolesInForce(ctx, identity)
    .filter((r) => held.has(r.role_id))
    .flatMap((r) => r.permissions);
  return scope.permissions.every((p) => covers(granted, p));
}

export default function rbacRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);
  if (ctx.projectType === 'consumer') {
    router.get('/v1/rbac/policy', auth, (_req, res) => send(res, { policy: getPolicy(ctx) }));
  } else {
    router.get('/v1/b2b/rbac/policy', auth, (_req, res) => send(res, { policy: getPolicy(ctx) }));
    router.get('/v1/b2b/rbac/organizations/:organization_id', auth, (req, res) => {
      const { organization } = requireOrganization(ctx, req.params.organization_id);
      send(res, { org_policy: { roles: organization.custom_roles ?? [] } });
    });
  }
  return router;
}
