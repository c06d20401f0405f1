/**
 * Connected App client lookup, shared by both adapters: the SDK mounts the same `connectedApp` class on
 * `stytch.Client` and `stytch.B2BClient`, with the same paths (STYTCH-API.md 5).
 */
import type { Client } from 'stytch';
import { callStytch, StytchCallError } from './errors.ts';

type ConnectedAppApi = Client['connectedApp'];

export async function getClientRedirectUrls(
  connectedApp: ConnectedAppApi,
  clientId: string,
): Promise<{ name: string; redirectUrls: string[] } | null> {
  try {
    const { connected_app: app } = await callStytch('connectedApp.clients.get', () => connectedApp.clients.get({ client_id: clientId }));
    return { name: app.client_name, redirectUrls: app.redirect_urls ?? [] };
  } catch (err) {
    // Stytch answers 4xx for an unknown (or malformed) client id: the client does not exist.
    if (err instanceof StytchCallError && err.code === 'stytch_rejected') return null;
    throw err;
  }
}
