/**
 * MCP end to end: the official MCP SDK client (unmodified, with the provider of `npx connected-app mcp-client`)
 * starts at the mcp-server's URL, gets the 401, discovers the project domain through the protected resource
 * metadata, becomes a client (Dynamic Client Registration, a Client ID Metadata Document, or a pre-registered
 * Connected App), sends the person through the Authorization URL in Chromium, exchanges the code with PKCE and
 * `resource`, and calls tools. Then what happens later in a session: an expired access token, a tool that
 * needs more scope, a token replayed to another MCP server.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { createApp as createMcpServer, loadConfig as loadMcpServerConfig } from '../mcp-server/src/index.ts';
import { listen } from '../src/shared/http.ts';
import { createLogger } from '../src/shared/log.ts';
import { test, expect } from './fixtures.ts';
import { stytchApi } from './people.ts';

/** The text a tool answered. */
const text = (result: { content: unknown }) => (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

test.describe('MCP client, end to end', () => {
  test('Dynamic Client Registration: 401, discovery, registration, PKCE and resource; lists the tools and calls one @b2b', async ({
    stack,
    mcpAgent,
    person,
  }) => {
    const mcpUrl = stack.urls.mcpServer!;
    await mcpAgent.prepare('Terminal Agent (DCR)');
    const session = await mcpAgent.connect(mcpUrl, person, 'Terminal Agent (DCR)');

    // The SDK registered itself (a public client: Stytch's DCR default) and asked for what the 401 named, for this resource.
    const client = mcpAgent.provider.clientInformation()!;
    expect(client.client_id).toMatch(/^connected-app-test-/);
    expect('redirect_uris' in client && client.redirect_uris).toEqual(['http://127.0.0.1/callback']);
    const [authorization] = mcpAgent.authorizationUrls;
    expect(authorization!.origin + authorization!.pathname).toBe(stack.urls.authorizationUrl);
    expect(authorization!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization!.searchParams.get('resource')).toBe(mcpUrl);
    expect(authorization!.searchParams.get('scope')).toBe('openid email profile offline_access read:reports');
    expect(decodeJwt(mcpAgent.provider.tokens()!.access_token).aud).toContain(mcpUrl);

    const tools = await session.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['export_report', 'list_reports', 'whoami']);
    const whoami = await session.callTool('whoami');
    expect(text(whoami)).toContain(client.client_id);
    // B2B: the token names the member's organization, and so does the MCP server.
    if (person.organization) expect(text(whoami)).toContain(`"slug": "${person.organization}"`);
    expect(text(await session.callTool('list_reports'))).toContain('weekly-active-users');
    await session.close();
  });

  test('a Client ID Metadata Document: the client id is an https URL the authorization server fetches @b2b', async ({ stack, mcpAgent, person }, testInfo) => {
    // The SDK only uses an https document URL (SEP-991), so the document is served over TLS on loopback with a
    // certificate made for this test, which the test stack's emulator accepts (allowInsecureClientMetadataUrls).
    const key = testInfo.outputPath('cimd-key.pem');
    const cert = testInfo.outputPath('cimd-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const document: Record<string, unknown> = {};
    const server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(JSON.stringify(document));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const clientId = `https://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/client.json`;
    Object.assign(document, {
      client_id: clientId,
      client_name: 'Metadata Agent',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    try {
      await mcpAgent.prepare('Metadata Agent', { clientMetadataUrl: clientId });
      const session = await mcpAgent.connect(stack.urls.mcpServer!, person, 'Metadata Agent');
      // No registration: the client id is the document's URL, and the consent page names its host.
      expect(mcpAgent.provider.clientInformation()!.client_id).toBe(clientId);
      expect(mcpAgent.authorizationUrls[0]!.searchParams.get('client_id')).toBe(clientId);
      expect(text(await session.callTool('whoami'))).toContain(clientId);
      await session.close();
    } finally {
      server.close();
    }
  });

  test('a pre-registered Connected App with a port-less loopback redirect URL, the agent on a random port', async ({ stack, mcpAgent, person }) => {
    // As a Dashboard user creates it for a CLI agent (Stytch's CLI guide): a public client whose loopback redirect
    // URL has no port, because the agent listens on whichever port is free (RFC 8252 §7.3).
    const { connected_app } = await stytchApi<{ connected_app: { client_id: string } }>(stack, 'POST', '/v1/connected_apps/clients', {
      client_type: 'third_party_public',
      client_name: 'Ops CLI',
      redirect_urls: ['http://127.0.0.1/callback'],
    });
    const clientId = connected_app.client_id;
    await mcpAgent.prepare('Ops CLI', { preRegistered: { client_id: clientId } });
    expect(new URL(mcpAgent.provider.redirectUrl).port).not.toBe('');
    const session = await mcpAgent.connect(stack.urls.mcpServer!, person, 'Ops CLI');
    expect(mcpAgent.provider.clientInformation()!.client_id).toBe(clientId);
    expect(text(await session.callTool('whoami'))).toContain(clientId);
    await session.close();
  });

  test('an expired access token is refreshed by the SDK, without the person', async ({ stack, mcpAgent, person, advanceClock }) => {
    await mcpAgent.prepare('Terminal Agent (refresh)');
    const session = await mcpAgent.connect(stack.urls.mcpServer!, person, 'Terminal Agent (refresh)');
    const first = mcpAgent.provider.tokens()!;
    advanceClock(2 * 3600);
    expect(text(await session.callTool('whoami'))).toContain('"sub"');
    const second = mcpAgent.provider.tokens()!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(mcpAgent.authorizationUrls).toHaveLength(1);
    await session.close();
  });

  test('step-up: a tool that needs more scope gets 403, the person allows it, the call goes through @b2b', async ({ stack, mcpAgent, person }) => {
    await mcpAgent.prepare('Terminal Agent (step-up)');
    const session = await mcpAgent.connect(stack.urls.mcpServer!, person, 'Terminal Agent (step-up)');
    expect(mcpAgent.provider.tokens()!.scope).not.toContain('export:reports');

    const call = session.callTool('export_report', { id: 'signups-by-source' });
    // Already signed in at the Authorization URL: straight to the consent page, for the wider scope.
    await Promise.all([call, mcpAgent.approve(person, 'Terminal Agent (step-up)', { signIn: false })]);
    expect(text(await call)).toContain('organic,412');
    expect(mcpAgent.authorizationUrls[1]!.searchParams.get('scope')).toBe('openid email profile offline_access read:reports export:reports');
    expect(mcpAgent.provider.tokens()!.scope).toContain('export:reports');
    await session.close();
  });

  test('a token issued for this MCP server is refused by another one', async ({ stack, mcpAgent, person }) => {
    await mcpAgent.prepare('Terminal Agent (replay)');
    const session = await mcpAgent.connect(stack.urls.mcpServer!, person, 'Terminal Agent (replay)');
    await session.close();

    // Another MCP server of the same project, as a token-passthrough attack would reach it.
    const config = loadMcpServerConfig({
      MCP_SERVER_PORT: '0',
      STYTCH_API_URL: stack.urls.stytch,
      STYTCH_PROJECT_TYPE: stack.projectType,
      LOG_LEVEL: 'silent',
    });
    const other = await createMcpServer(config, { log: createLogger('other-mcp-server', 'silent') });
    const listening = await listen(other.app, { port: 0 });
    try {
      const res = await fetch(`${listening.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${mcpAgent.provider.tokens()!.access_token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token".*not for this MCP server/);
    } finally {
      await listening.close();
      await other.close();
    }
  });
});
