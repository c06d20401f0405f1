/**
 * Emulator-only administration, never part of Stytch's API and never called by auth-server or client-app:
 * fault injection per client (Basic auth with the project's id and secret).
 *
 *   GET    /emulator/faults                       the catalogue (what each scenario does, what the RP must do,
 *                                                 openid-client's error, the source), the project type, and
 *                                                 when the JWKS was last served (so a run knows when a RP may refetch it)
 *   GET    /emulator/clients/{client_id}/faults   the client's active scenarios
 *   PUT    /emulator/clients/{client_id}/faults   {"scenarios": ["invalid-iss", …], "params": {"token_delay_ms": 5000}}
 *   DELETE /emulator/clients/{client_id}/faults   back to normal
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth } from '../basic-auth.ts';
import { requireClient } from '../clients/model.ts';
import { parseOrBadRequest } from '../clients/validate.ts';
import type { EmulatorContext } from '../context.ts';
import { send } from '../errors.ts';
import { catalogue } from '../faults/catalogue.ts';
import { activateClientFaults, clearClientFaults, FAULT_NAMES, getClientFaults, jwksLastServedAt, setClientFaults } from '../faults/index.ts';

const putSchema = z
  .object({
    scenarios: z.array(z.enum(FAULT_NAMES)),
    params: z
      .object({ token_delay_ms: z.number().int().min(0).max(600_000).optional() })
      .strict()
      .default({}),
  })
  .strict();

export default function adminRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/emulator', requireProjectAuth(ctx));
  router.get('/emulator/faults', (_req, res) => {
    send(res, { project_type: ctx.projectType, jwks_last_served_at: jwksLastServedAt(ctx) ?? null, scenarios: catalogue() });
  });
  const path = '/emulator/clients/:client_id/faults';
  const view = (clientId: string) => {
    const faults = getClientFaults(ctx, clientId);
    return { client_id: clientId, scenarios: faults?.scenarios ?? [], params: faults?.params ?? {} };
  };
  router.get(path, (req, res) => {
    requireClient(ctx, req.params.client_id);
    send(res, view(req.params.client_id));
  });
  router.put(path, async (req, res) => {
    requireClient(ctx, req.params.client_id);
    const { scenarios, params } = parseOrBadRequest(putSchema, req.body);
    const record = setClientFaults(ctx, req.params.client_id, scenarios, 'admin', params);
    if (record) await activateClientFaults(ctx, record);
    send(res, view(req.params.client_id));
  });
  router.delete(path, (req, res) => {
    requireClient(ctx, req.params.client_id);
    clearClientFaults(ctx, req.params.client_id);
    ctx.log.info({ client_id: req.params.client_id }, 'fault injection cleared for this client');
    send(res, view(req.params.client_id));
  });
  return router;
}
