/**
 * What the MCP server checks share: the first request an MCP client sends (JSON-RPC `initialize` over Streamable
 * HTTP, with or without a token), and the made-up second resource the live login also asks for, so that a token
 * for another resource can be minted (RFC 8707 §2.2: a refresh may narrow the audience to one granted resource).
 */
import type { HttpResult, VerifyContext } from './context.ts';

/** Never served by anyone: `.invalid` is reserved (RFC 2606). */
export const ANOTHER_RESOURCE = 'https://another-resource.invalid/mcp';

export function mcpInitialize(ctx: VerifyContext, url: string, accessToken?: string): Promise<HttpResult> {
  return ctx.http(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'connected-app verify', version: '1.0.0' } },
    }),
  });
}

/** A parameter of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3), quoted or not. */
export function challengeParam(header: string | null, name: string): string | undefined {
  const match = header ? new RegExp(`${name}="([^"]*)"|${name}=([^\\s,]+)`).exec(header) : null;
  return match ? (match[1] ?? match[2]) : undefined;
}
