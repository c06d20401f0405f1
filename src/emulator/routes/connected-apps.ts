/**
 * `connectedApp.clients.*`: the same paths for Consumer and B2B projects (no `/b2b` prefix), Basic auth.
 */
import { Router } from 'express';
import { requireProjectAuth } from '../basic-auth.ts';
import * as clients from '../clients/service.ts';
import type { EmulatorContext } from '../context.ts';
import { send } from '../errors.ts';

export default function connectedAppsRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const base = '/v1/connected_apps/clients';
  router.use(base, requireProjectAuth(ctx));

  router.post(base, (req, res) => {
    const { record, connected_app } = clients.createClient(ctx, req.body);
    ctx.log.info({ client_id: record.client_id, client_type: record.client_type }, 'connected app client created');
    send(res, { connected_app });
  });
  // Before `/:client_id`, which would otherwise take "search" as an id (it is a POST, but keep the order obvious).
  router.post(`${base}/search`, (req, res) => send(res, clients.searchClients(ctx, req.body)));
  router.get(`${base}/:client_id`, (req, res) => send(res, { connected_app: clients.getClient(ctx, req.params.client_id) }));
  router.put(`${base}/:client_id`, (req, res) => send(res, { connected_app: clients.updateClient(ctx, req.params.client_id, req.body) }));
  router.delete(`${base}/:client_id`, (req, res) => {
    clients.deleteClient(ctx, req.params.client_id);
    send(res, { client_id: req.params.client_id });
  });
  router.post(`${base}/:client_id/secrets/rotate/start`, (req, res) => send(res, { connected_app: clients.rotateStart(ctx, req.params.client_id) }));
  router.post(`${base}/:client_id/secrets/rotate/cancel`, (req, res) => send(res, { connected_app: clients.rotateCancel(ctx, req.params.client_id) }));
  router.post(`${base}/:client_id/secrets/rotate`, (req, res) => send(res, { connected_app: clients.rotate(ctx, req.params.client_id) }));
  return router;
}
