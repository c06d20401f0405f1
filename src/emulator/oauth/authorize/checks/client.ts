import { findClient, type ClientRecord } from '../../../clients/model.ts';
import type { EmulatorContext } from '../../../context.ts';
import { idpErrors } from '../errors.ts';

/** AS-2: an unknown client is an API error, never a redirect. */
export function checkClient(ctx: EmulatorContext, clientId: string): ClientRecord {
  const client = findClient(ctx, clientId);
  if (!client) throw idpErrors.clientNotFound();
  return client;
}
