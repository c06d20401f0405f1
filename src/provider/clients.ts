/**
 * Registering your own relying party with the local emulator, through the `stytch` SDK as against a real
 * project (`connectedApp.clients.create/search/delete`): what `npx connected-app clients` and the conformance
 * fixtures use. The emulator's project credentials default to its demo project's.
 */
import * as stytch from 'stytch';
import type { ProjectType } from '../shared/project.ts';
import { quietEmulatorClient } from '../shared/stytch-sdk.ts';

export const CLIENT_TYPES = ['third_party', 'third_party_public', 'first_party', 'first_party_public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export interface ProviderProject {
  /** The emulator's URL: the SDK's base URL and the issuer. */
  url: string;
  projectId: string;
  secret: string;
  projectType: ProjectType;
}

export interface RegisteredClient {
  clientId: string;
  /** Confidential types only; shown once. */
  clientSecret: string | undefined;
  name: string;
  type: string;
  redirectUrls: string[];
}

function api(project: ProviderProject) {
  const config = { project_id: project.projectId, secret: project.secret, env: `${project.url.replace(/\/+$/, '')}/` };
  return quietEmulatorClient(() => (project.projectType === 'b2b' ? new stytch.B2BClient(config) : new stytch.Client(config))).connectedApp.clients;
}

export async function createClient(project: ProviderProject, input: { type: ClientType; redirectUris: string[]; name: string }): Promise<RegisteredClient> {
  const { connected_app: app } = await api(project).create({
    client_type: input.type,
    client_name: input.name,
    client_description: 'A relying party registered with `npx connected-app clients create`',
    redirect_urls: input.redirectUris,
  });
  return {
    clientId: app.client_id,
    clientSecret: app.client_secret || undefined,
    name: app.client_name,
    type: app.client_type,
    redirectUrls: app.redirect_urls,
  };
}

export async function listClients(project: ProviderProject): Promise<RegisteredClient[]> {
  const out: RegisteredClient[] = [];
  let cursor: string | undefined;
  do {
    const page = await api(project).search({ limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(
      ...page.connected_apps.map((a) => ({
        clientId: a.client_id,
        clientSecret: undefined,
        name: a.client_name,
        type: a.client_type,
        redirectUrls: a.redirect_urls,
      })),
    );
    cursor = page.results_metadata.next_cursor || undefined;
  } while (cursor);
  return out;
}

export async function deleteClient(project: ProviderProject, clientId: string): Promise<void> {
  await api(project).delete({ client_id: clientId });
}
