/**
 * Connected App client management (`connectedApp.clients.*`, ST-CLIENTS): create, get, update,
 * delete, search, and the three-step secret rotation. The routes only parse and send; the rules live here.
 */
import { z } from 'zod';
import type { ConnectedAppWithClientSecret, ConnectedAppWithNextClientSecret } from 'stytch';
import { newId, type EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { clearClientFaults } from '../faults/index.ts';
import { revokeEverythingOfClient } from '../oauth/grants.ts';
import {
  applyFields,
  checkFirstPartyOnlyFields,
  clientFieldsSchema,
  type ClientFields,
  clientsCollection,
  connectedAppLimitReached,
  isPublicClient,
  newClientRecord,
  requireClient,
  toWire,
  type ClientRecord,
  type ConnectedAppWire,
} from './model.ts';
import { generateClientSecret, hashedSecret } from './secrets.ts';
import { checkAccessTokenExpiry, checkClientType, checkRedirectUrls, parseOrBadRequest } from './validate.ts';

export const createClientSchema = clientFieldsSchema.extend({ client_type: z.unknown() });
export const updateClientSchema = clientFieldsSchema;
export const searchClientsSchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

/** The rules the API applies on top of the schema (validate.ts). */
function checkApiFields(ctx: EmulatorContext, fields: ClientFields): void {
  checkRedirectUrls(ctx, fields.redirect_urls);
  checkRedirectUrls(ctx, fields.post_logout_redirect_urls);
  checkAccessTokenExpiry(ctx, fields.access_token_expiry_minutes);
}

/** Creates a client; the secret (confidential types only) is in this response and never again. */
export function createClient(
  ctx: EmulatorContext,
  body: unknown,
  creationMethod: ClientRecord['creation_method'] = 'api',
): {
  record: ClientRecord;
  connected_app: ConnectedAppWithClientSecret;
} {
  const { client_type: requestedType, ...fields } = parseOrBadRequest(createClientSchema, body);
  const client_type = checkClientType(requestedType);
  checkApiFields(ctx, fields);
  if (connectedAppLimitReached(ctx)) {
    throw new StytchApiError('too_many_connected_apps', `This project already has ${ctx.connectedAppLimit} Connected Apps; delete one first.`);
  }
  const secret = isPublicClient({ client_type }) ? undefined : generateClientSecret(ctx);
  const record = newClientRecord(
    ctx,
    { client_id: newId(ctx, 'connected-app'), client_type, creation_method: creationMethod, ...(secret ? { secret: hashedSecret(secret) } : {}) },
    fields,
  );
  clientsCollection(ctx).put(record.client_id, record);
  const { creation_method: _omitted, ...wire } = toWire(record);
  return { record, connected_app: { ...wire, ...(secret ? { client_secret: secret } : {}) } };
}

export function getClient(ctx: EmulatorContext, clientId: string): ConnectedAppWire {
  return toWire(requireClient(ctx, clientId));
}

export function updateClient(ctx: EmulatorContext, clientId: string, body: unknown): ConnectedAppWire {
  const client = requireClient(ctx, clientId);
  const fields = parseOrBadRequest(updateClientSchema, body);
  checkFirstPartyOnlyFields(client.client_type, fields);
  checkApiFields(ctx, fields);
  const next = applyFields(client, fields);
  clientsCollection(ctx).put(clientId, next);
  return toWire(next);
}

/** Deletes the client and ends everything it holds: codes, grants, tokens, consents, faults. */
export function deleteClient(ctx: EmulatorContext, clientId: string): void {
  requireClient(ctx, clientId);
  ctx.store.transaction(() => {
    revokeEverythingOfClient(ctx, clientId);
    clearClientFaults(ctx, clientId);
    clientsCollection(ctx).delete(clientId);
  });
}

/** Cursor = the offset, opaque to callers. */
export function searchClients(
  ctx: EmulatorContext,
  body: unknown,
): { connected_apps: ConnectedAppWire[]; results_metadata: { total: number; next_cursor: string | null } } {
  const { cursor, limit = 100 } = parseOrBadRequest(searchClientsSchema, body);
  const all = clientsCollection(ctx).all();
  let offset = 0;
  if (cursor) {
    offset = Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(offset) || offset < 0) throw new StytchApiError('bad_request', 'The cursor is not one this search returned.');
  }
  const page = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
  // The SDK (types/lib/b2c/connected_apps_clients.d.ts): search "until the `next_cursor` in the response is null".
  return { connected_apps: page.map(toWire), results_metadata: { total: all.length, next_cursor: next ?? null } };
}

function requireConfidential(client: ClientRecord): void {
  if (isPublicClient(client)) {
    throw new StytchApiError('public_connected_apps_do_not_have_secrets', `A ${client.client_type} client has no secret to rotate.`);
  }
}

/** Step 1: a next secret, valid alongside the current one until rotate or cancel. Shown once, here. */
export function rotateStart(ctx: EmulatorContext, clientId: string): ConnectedAppWithNextClientSecret {
  const client = requireClient(ctx, clientId);
  requireConfidential(client);
  if (client.next_secret) {
    // A second start would silently invalidate the secret handed out by the first.
    throw new StytchApiError('connected_app_already_rotating_secret', 'A secret rotation is already in progress: rotate or cancel it first.');
  }
  const secret = generateClientSecret(ctx);
  const next = clientsCollection(ctx).update(clientId, (c) => ({ ...c, next_secret: hashedSecret(secret) }))!;
  const { creation_method: _omitted, ...wire } = toWire(next);
  return { ...wire, client_secret_last_four: next.secret!.last_four, next_client_secret: secret };
}

function requireRotation(client: ClientRecord): void {
  requireConfidential(client);
  if (!client.next_secret) {
    throw new StytchApiError('connected_app_not_rotating_secret', 'No secret rotation is in progress: call rotate/start first.');
  }
}

/** Step 2a: the next secret becomes the only secret. */
export function rotate(ctx: EmulatorContext, clientId: string): ConnectedAppWire {
  requireRotation(requireClient(ctx, clientId));
  const next = clientsCollection(ctx).update(clientId, ({ next_secret, ...c }) => ({ ...c, secret: next_secret! }))!;
  return toWire(next);
}

/** Step 2b: the next secret is discarded. */
export function rotateCancel(ctx: EmulatorContext, clientId: string): ConnectedAppWire {
  requireRotation(requireClient(ctx, clientId));
  const next = clientsCollection(ctx).update(clientId, ({ next_secret: _dropped, ...c }) => c)!;
  return toWire(next);
}
