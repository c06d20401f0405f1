/**
 * An MCP server publishes where its tokens come from in RFC 9728 protected resource metadata, at
 * `/.well-known/oauth-protected-resource` plus its endpoint's path (RFC 9728 §3.1; MCP clients also try the root form).
 * Its `resource` is the identifier tokens must be issued for (and what clients send as RFC 8707 `resource`), and
 * `authorization_servers` must name this project's domain, or MCP clients sign in somewhere else.
 */
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, skip } from '../outcome.ts';
import type { Check } from '../types.ts';

const sameUrl = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '');

export const mcpServerMetadata: Check = {
  id: 'mcp-server.metadata',
  title: 'The MCP server publishes protected resource metadata naming this project as its authorization server',
  required: true,
  needs: ['discovery.reachable'],
  async run(ctx) {
    const mcpUrl = ctx.target.mcpServerUrl;
    if (!mcpUrl) return skip('not run: no MCP server given', 'Set --mcp-server-url (VERIFY_MCP_SERVER_URL) to check an MCP server that trusts this project.');
    const candidates = [getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl)), new URL('/.well-known/oauth-protected-resource', mcpUrl).href];
    let found: { url: string; document: Record<string, unknown> } | undefined;
    const tried: string[] = [];
    for (const url of [...new Set(candidates)]) {
      const res = await ctx.http(url, { headers: { accept: 'application/json' } });
      tried.push(`GET ${url} → ${res.error ?? res.status}`);
      if (res.status === 200 && res.json) {
        found = { url, document: res.json };
        break;
      }
    }
    if (!found) {
      return fail(
        tried.join('; '),
        `Serve RFC 9728 metadata at ${candidates[0]} with resource "${mcpUrl}" and authorization_servers ["<your project domain>"] (the MCP SDK's mcpAuthMetadataRouter, or this toolkit's mcp-server, does).`,
        undefined,
        { tried },
      );
    }
    const { document } = found;
    const resource = typeof document.resource === 'string' ? document.resource : undefined;
    const servers = Array.isArray(document.authorization_servers) ? document.authorization_servers.map(String) : [];
    const issuer = String(ctx.facts.discovery!.document.issuer);
    const details = { url: found.url, resource, authorization_servers: servers, scopes_supported: document.scopes_supported ?? null };
    if (
      !resource ||
      !URL.canParse(resource) ||
      new URL(resource).origin !== new URL(mcpUrl).origin ||
      !new URL(mcpUrl).pathname.startsWith(new URL(resource).pathname.replace(/\/$/, ''))
    ) {
      return fail(
        `resource is ${JSON.stringify(resource ?? null)}, which does not identify ${mcpUrl}`,
        `Set resource to the MCP server's canonical URL, ${mcpUrl}: MCP clients refuse metadata for another resource, and it is the audience the server must check.`,
        undefined,
        details,
      );
    }
    if (!servers.some((s) => sameUrl(s, issuer))) {
      return fail(
        `authorization_servers is ${JSON.stringify(servers)}, not this project's domain ${issuer}`,
        `List the project domain, ${issuer}, in authorization_servers (the issuer of its tokens, not the Authorization URL or a stytch.com address).`,
        DASHBOARD.projectDomain,
        details,
      );
    }
    ctx.facts.mcpResource = { metadataUrl: found.url, resource, document };
    return pass(`GET ${found.url} → resource ${resource}, authorization server ${issuer}`, details);
  },
};
