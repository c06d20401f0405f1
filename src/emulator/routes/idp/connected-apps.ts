/**
 * The Connected Apps a person has authorized, and "revoke this app" (ST-CLIENTS):
 *   Consumer  GET  /v1/users/{user_id}/connected_apps
 *             POST /v1/users/{user_id}/connected_apps/{connected_app_id}/revoke
 *   B2B       GET  /v1/b2b/organizations/{org}/members/{member}/connected_apps
 *             POST /v1/b2b/organizations/{org}/members/{member}/connected_apps/{id}/revoke
 *             GET  /v1/b2b/organizations/{org}/connected_apps
 *             GET  /v1/b2b/organizations/{org}/connected_apps/{id}
 * Revoking ends every grant, token and pending code of the pair (a fresh authorization is needed).
 */
import { Router } from 'express';
import { findClient, requireClient, type ClientRecord } from '../../clients/model.ts';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { requireProjectAuth } from '../../basic-auth.ts';
import { requireMember, requireOrganization, requireUser } from '../../identity/lookup.ts';
import { listConsents, listOrganizationConsents, revokeConsent, type ConsentRecord } from '../../oauth/consent.ts';

function summary(client: ClientRecord) {
  return {
    connected_app_id: client.client_id,
    name: client.client_name,
    description: client.client_description,
    client_type: client.client_type,
    ...(client.logo_url ? { logo_url: client.logo_url } : {}),
  };
}

/** Consents whose client still exists, with the app's summary and the granted scopes. */
function authorizedApps(ctx: EmulatorContext, consents: ConsentRecord[]) {
  return consents.flatMap((c) => {
    const client = findClient(ctx, c.client_id);
    return client ? [{ ...summary(client), scopes_granted: c.scopes.join(' ') }] : [];
  });
}

export default function idpConnectedAppsRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  // Per route, not router.use(): this router sees every request that reaches it, public ones included.
  const auth = requireProjectAuth(ctx);
  if (ctx.projectType === 'consumer') {
    router.get('/v1/users/:user_id/connected_apps', auth, (req, res) => {
      const { user } = requireUser(ctx, req.params.user_id);
      send(res, { connected_apps: authorizedApps(ctx, listConsents(ctx, user.user_id)) });
    });
    router.post('/v1/users/:user_id/connected_apps/:connected_app_id/revoke', auth, (req, res) => {
      const { user } = requireUser(ctx, req.params.user_id);
      const client = requireClient(ctx, req.params.connected_app_id);
      revokeConsent(ctx, client.client_id, user.user_id);
      send(res, {});
    });
    return router;
  }

  const org = '/v1/b2b/organizations/:organization_id';
  router.get(`${org}/members/:member_id/connected_apps`, auth, (req, res) => {
    const { organization } = requireOrganization(ctx, req.params.organization_id);
    const { member } = requireMember(ctx, organization.organization_id, req.params.member_id);
    send(res, { connected_apps: authorizedApps(ctx, listConsents(ctx, member.member_id)) });
  });
  router.post(`${org}/members/:member_id/connected_apps/:connected_app_id/revoke`, auth, (req, res) => {
    const { organization } = requireOrganization(ctx, req.params.organization_id);
    const { member } = requireMember(ctx, organization.organization_id, req.params.member_id);
    const client = requireClient(ctx, req.params.connected_app_id);
    revokeConsent(ctx, client.client_id, member.member_id);
    send(res, {});
  });
  router.get(`${org}/connected_apps`, auth, (req, res) => {
    const { organization } = requireOrganization(ctx, req.params.organization_id);
    const ids = new Set(listOrganizationConsents(ctx, organization.organization_id).map((c) => c.client_id));
    const clients = [...ids].map((id) => findClient(ctx, id)).filter((c): c is ClientRecord => c !== undefined);
    send(res, { connected_apps: clients.map(summary) });
  });
  router.get(`${org}/connected_apps/:connected_app_id`, auth, (req, res) => {
    const { organization } = requireOrganization(ctx, req.params.organization_id);
    const client = requireClient(ctx, req.params.connected_app_id);
    const active_members = listOrganizationConsents(ctx, organization.organization_id)
      .filter((c) => c.client_id === client.client_id)
      .flatMap((c) => (c.subject.kind === 'member' ? [{ member_id: c.subject.member_id, granted_scopes: c.scopes }] : []));
    send(res, { ...summary(client), active_members });
  });
  return router;
}
