/**
 * An MCP session over Streamable HTTP with the official SDK's `Client` and transport, and the one loop a
 * host application adds around them (as the SDK's `simpleOAuthClient` example does): when a request ends
 * in `UnauthorizedError`, the SDK has sent the person to the Authorization URL; wait for the code on the
 * loopback callback, `finishAuth(code)`, and send the request again.
 *
 * That covers the first sign-in (401 → discovery → registration → authorization), an expired access token
 * (401 → the SDK refreshes by itself, no person needed) and step-up (403 `insufficient_scope` → a new
 * authorization with the wider scope).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CliOAuthClientProvider } from './provider.ts';

export interface McpSession {
  readonly client: Client;
  listTools(): Promise<Tool[]>;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** How many authorizations one request may need: the first sign-in, then one step-up. */
const MAX_AUTHORIZATIONS = 2;

export async function connectMcp(serverUrl: string | URL, provider: CliOAuthClientProvider): Promise<McpSession> {
  // A 403 insufficient_scope means the grant is too narrow; the refresh token cannot help (see provider).
  const stepUpAware: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.status === 403 && /error="?insufficient_scope/.test(res.headers.get('www-authenticate') ?? '')) provider.forgetRefreshToken();
    return res;
  };
  const open = () => new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider, fetch: stepUpAware });
  const client = new Client({ name: 'connected-app-mcp-client', version: '1.0.0' });

  // A transport that failed to connect cannot be started again: finish the authorization on it, then connect a new one.
  let transport = open();
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect(transport);
      break;
    } catch (err) {
      if (!(err instanceof UnauthorizedError) || attempt >= MAX_AUTHORIZATIONS) throw err;
      await transport.finishAuth(await provider.authorizationCode());
      transport = open();
    }
  }

  const withAuthorization = async <T>(request: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        if (!(err instanceof UnauthorizedError) || attempt >= MAX_AUTHORIZATIONS) throw err;
        await transport.finishAuth(await provider.authorizationCode());
      }
    }
  };

  return {
    client,
    listTools: async () => (await withAuthorization(() => client.listTools())).tools,
    callTool: async (name, args = {}) => (await withAuthorization(() => client.callTool({ name, arguments: args }))) as CallToolResult,
    close: () => client.close(),
  };
}
