/**
 * Without a token, an MCP server answers 401 with `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728 §5.1;
 * MCP authorization spec): that header is how an MCP client finds the metadata, hence the project. The URL it
 * names must serve the same metadata.
 */
import { fail, pass, skip } from '../outcome.ts';
import { challengeParam, mcpInitialize } from '../mcp.ts';
import type { Check } from '../types.ts';

export const mcpServerChallenge: Check = {
  id: 'mcp-server.challenge',
  title: 'A request without a token gets 401 with a Bearer challenge naming the metadata (resource_metadata)',
  required: true,
  needs: ['mcp-server.metadata'],
  async run(ctx) {
    const mcpUrl = ctx.target.mcpServerUrl;
    if (!mcpUrl) return skip('not run: no MCP server given');
    const res = await mcpInitialize(ctx, mcpUrl);
    const header = res.headers.get('www-authenticate');
    const details = { status: res.status, www_authenticate: header };
    if (res.status !== 401) {
      return fail(
        `POST ${mcpUrl} without a token → ${res.error ?? res.status}`,
        'Answer requests without a valid access token with 401 and WWW-Authenticate: Bearer resource_metadata="…" (RFC 6750 §3, RFC 9728 §5.1).',
        undefined,
        details,
      );
    }
    const metadataUrl = challengeParam(header, 'resource_metadata');
    if (!header || !/^bearer\b/i.test(header) || !metadataUrl) {
      return fail(
        `401, but WWW-Authenticate is ${JSON.stringify(header)}`,
        `Add resource_metadata="${ctx.facts.mcpResource!.metadataUrl}" to the Bearer challenge: it is how MCP clients find the authorization server.`,
        undefined,
        details,
      );
    }
    const named = await ctx.http(metadataUrl, { headers: { accept: 'application/json' } });
    if (named.json?.resource !== ctx.facts.mcpResource!.resource) {
      return fail(
        `resource_metadata="${metadataUrl}" → ${named.error ?? named.status}${named.json ? `, resource ${JSON.stringify(named.json.resource)}` : ''}`,
        `Point resource_metadata at the metadata this server publishes (${ctx.facts.mcpResource!.metadataUrl}).`,
        undefined,
        details,
      );
    }
    const scope = challengeParam(header, 'scope');
    return pass(`401 · resource_metadata="${metadataUrl}"${scope ? ` · scope "${scope}"` : ''}`, details);
  },
};
