/**
 * MCP clients discover the authorization server through RFC 8414 (`/.well-known/oauth-authorization-server`),
 * not OpenID discovery. Both documents describe the same server, so the endpoints they share must agree, and MCP
 * clients refuse to proceed when `code_challenge_methods_supported` does not list S256 (MCP authorization spec).
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

const SHARED = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'revocation_endpoint',
  'introspection_endpoint',
  'registration_endpoint',
] as const;

export const mcpMetadata: Check = {
  id: 'mcp.metadata',
  title: 'OAuth metadata for MCP clients is served and agrees with the OpenID configuration',
  required: false,
  needs: ['discovery.reachable'],
  async run(ctx) {
    const openid = ctx.facts.discovery!.document;
    const url = `${new URL(String(openid.issuer)).origin}/.well-known/oauth-authorization-server`;
    const res = await ctx.http(url, { headers: { accept: 'application/json' } });
    if (res.error || res.status !== 200 || !res.json) {
      return warn(
        `GET ${url} → ${res.error ?? res.status}`,
        'MCP clients find the authorization server through this document; serve it from the project domain (Stytch does when Connected Apps are set up).',
        DASHBOARD.projectDomain,
        { url, status: res.status },
      );
    }
    const doc = res.json;
    ctx.facts.asMetadata = doc;
    const differing = SHARED.filter((key) => doc[key] !== undefined && openid[key] !== undefined && doc[key] !== openid[key]);
    const details = {
      url,
      differing: Object.fromEntries(differing.map((k) => [k, { 'oauth-authorization-server': doc[k], 'openid-configuration': openid[k] }])),
    };
    if (differing.length) {
      return fail(
        `${differing.map((k) => `${k} "${String(doc[k])}" ≠ "${String(openid[k])}"`).join('; ')}`,
        'Both documents must describe the same server: serve them from the same host (the project domain) without a proxy rewriting either.',
        DASHBOARD.projectDomain,
        details,
      );
    }
    const methods = doc.code_challenge_methods_supported;
    if (!Array.isArray(methods) || !methods.includes('S256')) {
      return warn(
        `code_challenge_methods_supported is ${JSON.stringify(methods ?? null)}`,
        'MCP clients refuse to log in when S256 is not listed here.',
        DASHBOARD.projectDomain,
        details,
      );
    }
    return pass(`GET ${url} → 200, consistent with the OpenID configuration, S256 listed`, details);
  },
};
