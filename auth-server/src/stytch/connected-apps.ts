/**
 * Connected App client lookup, shared by both adapters: the SDK mounts the same `connectedApp` class on
 * `stytch.Client` and `stytch.B2BClient`, with the same paths (ST-CLIENTS).
 */
import type { Client } from 'stytch';
import { callStytch, nullIfRejected } from './errors.ts';

type ConnectedAppApi = Client['connectedApp'];

export async function getClientRedirectUrls(connectedApp: ConnectedAppApi, clientId: string): Promise<{ name: string; redirectUrls: string[] } | null> {
  // Stytch answers 4xx for an unknown (or malformed) client id: the client does not exist.
  const res = await nullIfRejected(callStytch('connectedApp.clients.get', () => connectedApp.clients.get({ client_id: clientId })));
  return res && { name: res.connected_app.client_name, redirectUrls: res.connected_app.redirect_urls ?? [] };
}
