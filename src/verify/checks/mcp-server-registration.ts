/**
 * MCP clients have no client id before they meet a server: they register themselves (Dynamic Client Registration,
 * RFC 7591) or use a Client ID Metadata Document (an https URL as client id) where the authorization server
 * advertises `client_id_metadata_document_supported`. One of the two must be on, or no MCP client can sign in.
 * With DCR, a throwaway public client is registered as an MCP client would, then deleted through the Connected
 * App management API (`DELETE /v1/connected_apps/clients/{client_id}`), so nothing is left behind.
 */
import { projectAuth } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, skip, warn } from '../outcome.ts';
import type { Check } from '../types.ts';
import { backendUrl } from './client-exists.ts';

export const mcpServerRegistration: Check = {
  id: 'mcp-server.registration',
  title: 'MCP clients can become clients: Dynamic Client Registration works (or Client ID Metadata Documents are supported)',
  required: true,
  needs: ['mcp-server.metadata'],
  async run(ctx) {
    const { target, facts } = ctx;
    if (!target.mcpServerUrl) return skip('not run: no MCP server given');
    const metadata = { ...facts.discovery!.document, ...facts.asMetadata };
    const endpoint = typeof metadata.registration_endpoint === 'string' ? metadata.registration_endpoint : undefined;
    const cimd = metadata.client_id_metadata_document_supported === true;
    if (!endpoint) {
      if (cimd)
        return pass('client_id_metadata_document_supported: MCP clients identify themselves by their metadata document URL (no registration endpoint)', {
          dcr: false,
          cimd,
        });
      return fail(
        'neither registration_endpoint nor client_id_metadata_document_supported in the authorization server metadata',
        'Turn on Dynamic Client Registration, so that MCP clients (Claude, ChatGPT, Cursor, CLI agents) can register themselves.',
        DASHBOARD.dcr,
        { dcr: false, cimd },
      );
    }
    const res = await ctx.http(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_name: 'connected-app verify (throwaway MCP client, deleted at once)',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    });
    const clientId = typeof res.json?.client_id === 'string' ? res.json.client_id : undefined;
    if (res.status !== 201 && res.status !== 200) {
      return fail(
        `POST ${endpoint} → ${res.error ?? res.status}${res.json?.error ? ` ${String(res.json.error)}: ${String(res.json.error_description ?? '')}` : ''}`,
        'The registration endpoint must register a public MCP client with a loopback redirect URI (RFC 7591, RFC 8252 §7.3); check the Dynamic Client Registration settings.',
        DASHBOARD.dcr,
        { status: res.status, error: res.json?.error },
      );
    }
    if (!clientId)
      return fail(
        `POST ${endpoint} → ${res.status} without a client_id`,
        'A registration response must carry the new client_id (RFC 7591 §3.2.1).',
        DASHBOARD.dcr,
      );
    const details = { registration_endpoint: endpoint, client_id: clientId, cimd, deleted: false };
    if (!target.projectId || !target.secret) {
      return warn(
        `registered ${clientId}, but could not delete it: no project secret`,
        `Delete the Connected App ${clientId} in the Dashboard, and set STYTCH_SECRET so that verify cleans up after itself.`,
        DASHBOARD.apps,
        details,
      );
    }
    const url = `${backendUrl(target.apiUrl, target.projectId)}/v1/connected_apps/clients/${encodeURIComponent(clientId)}`;
    const deleted = await ctx.http(url, {
      method: 'DELETE',
      headers: { authorization: projectAuth(target.projectId, target.secret), accept: 'application/json' },
    });
    if (deleted.status !== 200) {
      return warn(
        `registered ${clientId}; DELETE ${url} → ${deleted.error ?? deleted.status}`,
        `Delete the Connected App ${clientId} in the Dashboard.`,
        DASHBOARD.apps,
        details,
      );
    }
    return pass(`registered a public client by DCR (${clientId}) and deleted it${cimd ? '; CIMD supported too' : ''}`, { ...details, deleted: true });
  },
};
