/**
 * The mcp-server against a real emulator (demo seed), with real access tokens: signed in through the `stytch`
 * SDK (passwords, then the IDP authorize API with `resources`) and exchanged at the token endpoint, as the
 * auth-server and a client would. What each refusal looks like on the wire is what MCP clients rely on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'stytch';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { DEFAULT_SEED_URLS, demoLogin, loadDemoSeed } from '../../src/shared/demo.ts';
import { listen, type Listening } from '../../src/shared/http.ts';
import { createLogger } from '../../src/shared/log.ts';
import { quietEmulatorClient } from '../../src/shared/stytch-sdk.ts';
import { createApp, loadConfig, type McpServerApp } from '../src/index.ts';

const PUBLIC_URL = 'https://mcp.example.test';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const seed = loadDemoSeed('consumer', DEFAULT_SEED_URLS);
const publicClient = seed.clients.find((c) => c.client_type === 'third_party_public')!;

let clockShift = 0;
let emulator: RunningEmulator;
let mcp: McpServerApp;
let server: Listening;
let sdk: Client;

async function start(options: Parameters<typeof createApp>[1] = {}, env: Record<string, string> = {}): Promise<{ mcp: McpServerApp; server: Listening }> {
  const config = loadConfig({ MCP_SERVER_PORT: '0', MCP_SERVER_PUBLIC_URL: PUBLIC_URL, STYTCH_API_URL: emulator.url, LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, { log: createLogger('mcp-server', 'silent'), ...options });
  return { mcp: app, server: await listen(app.app, { port: 0 }) };
}

beforeAll(async () => {
  emulator = await startEmulator({
    projectType: 'consumer',
    seedUrls: DEFAULT_SEED_URLS,
    logger: createLogger('emulator', 'silent'),
    now: () => Math.floor(Date.now() / 1000) + clockShift,
  });
  sdk = quietEmulatorClient(() => new Client({ project_id: emulator.projectId, secret: emulator.secret, env: `${emulator.url}/` }));
  ({ mcp, server } = await start());
});

afterAll(async () => {
  await server?.close();
  await mcp?.close();
  await emulator?.close();
});

/** An access token of the demo person for the public demo client, for `resources`, minted `ageSeconds` ago. */
async function accessToken(opts: { resources?: string[]; scopes?: string[]; ageSeconds?: number } = {}): Promise<string> {
  clockShift = -(opts.ageSeconds ?? 0);
  try {
    const login = demoLogin(seed);
    const { session_token } = await sdk.passwords.authenticate({ email: login.email, password: login.password, session_duration_minutes: 60 });
    const verifier = randomBytes(32).toString('base64url');
    const { redirect_uri } = await sdk.idp.oauth.authorize({
      consent_granted: true,
      client_id: publicClient.client_id,
      redirect_uri: publicClient.redirect_urls[0]!,
      response_type: 'code',
      scopes: opts.scopes ?? ['openid', 'read:reports'],
      session_token,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      ...(opts.resources ? { resources: opts.resources } : {}),
    });
    const code = new URL(redirect_uri).searchParams.get('code')!;
    const res = await fetch(`${emulator.url}/v1/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: publicClient.client_id,
        redirect_uri: publicClient.redirect_urls[0]!,
      }),
    });
    const body = (await res.json()) as { access_token: string };
    return body.access_token;
  } finally {
    clockShift = 0;
  }
}

function rpc(method: string, params: Record<string, unknown> = {}) {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
}

async function post(body: string, authorization?: string, base = server.url): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization ? { authorization } : {}) },
    body,
  });
}

describe('protected resource metadata (RFC 9728)', () => {
  it('is served at the path-suffixed and at the root well-known URL, naming the project domain and every scope', async () => {
    const suffixed = await (await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`)).json();
    const root = await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json();
    expect(suffixed).toEqual(root);
    expect(suffixed).toMatchObject({ resource: RESOURCE, authorization_servers: [emulator.url], bearer_methods_supported: ['header'] });
    expect(suffixed.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'read:reports', 'export:reports']));
  });
});

describe('the MCP endpoint', () => {
  it('answers a request without a token with 401 and a challenge naming the metadata and the first scopes (no error code)', async () => {
    const res = await post(rpc('tools/list'));
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="openid email profile offline_access read:reports"');
    expect(challenge).not.toContain('error=');
  });

  it('serves the tools to a token bound to this resource', async () => {
    const token = await accessToken({ resources: [RESOURCE] });
    const res = await post(rpc('tools/call', { name: 'list_reports', arguments: {} }), `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('weekly-active-users');
  });

  // One row per rule; each refusal says what to fix.
  const refusals: Array<{ rule: string; header: () => Promise<string>; status: number; error: string; says: RegExp }> = [
    {
      rule: 'a token minted for another resource',
      header: async () => `Bearer ${await accessToken({ resources: ['https://other.example.test/mcp'] })}`,
      status: 401,
      error: 'invalid_token',
      says: /not for this MCP server.*resource=https:\/\/mcp\.example\.test\/mcp/,
    },
    {
      rule: 'a token minted without a resource',
      header: async () => `Bearer ${await accessToken()}`,
      status: 401,
      error: 'invalid_token',
      says: /not for this MCP server/,
    },
    {
      rule: 'an expired token',
      header: async () => `Bearer ${await accessToken({ resources: [RESOURCE], ageSeconds: 2 * 3600 })}`,
      status: 401,
      error: 'invalid_token',
      says: /expired: refresh it/,
    },
    {
      rule: 'a token that is not a JWT',
      header: async () => 'Bearer not-a-token',
      status: 401,
      error: 'invalid_token',
      says: /not a valid Stytch access token/,
    },
    { rule: 'another scheme', header: async () => 'Basic dXNlcjpwYXNz', status: 401, error: 'invalid_token', says: /must be: Bearer <access token>/ },
  ];
  for (const row of refusals) {
    it(`refuses ${row.rule}: ${row.status} ${row.error}`, async () => {
      const res = await post(rpc('tools/list'), await row.header());
      expect(res.status).toBe(row.status);
      const challenge = res.headers.get('www-authenticate')!;
      expect(challenge).toContain(`error="${row.error}"`);
      expect(challenge).toContain('resource_metadata=');
      expect(challenge).toMatch(row.says);
      expect(await res.json()).toMatchObject({ error: row.error });
    });
  }

  it('answers a tool call whose scope the token lacks with 403 insufficient_scope, asking for its scopes plus the missing one', async () => {
    const token = await accessToken({ resources: [RESOURCE], scopes: ['openid', 'read:reports'] });
    const res = await post(rpc('tools/call', { name: 'export_report', arguments: { id: 'signups-by-source' } }), `Bearer ${token}`);
    expect(res.status).toBe(403);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toContain('error="insufficient_scope"');
    expect(challenge).toContain('scope="openid read:reports export:reports"');
    expect(challenge).toContain('resource_metadata=');
    // The tools it may call still work with the same token.
    expect((await post(rpc('tools/call', { name: 'whoami', arguments: {} }), `Bearer ${token}`)).status).toBe(200);
  });

  // Regression: GET with an expired token got 401, so the MCP SDK refreshed for its stream and for its POST at the
  // same time; with a rotating refresh token one refresh failed and the person had to log in again.
  it('answers GET and DELETE with 405 before any token check (no SSE stream, no session), with or without a token', async () => {
    const expired = `Bearer ${await accessToken({ resources: [RESOURCE], ageSeconds: 2 * 3600 })}`;
    for (const method of ['GET', 'DELETE']) {
      for (const authorization of [undefined, expired]) {
        const res = await fetch(`${server.url}/mcp`, { method, headers: authorization ? { authorization } : {} });
        expect([method, authorization ? 'expired' : 'none', res.status, res.headers.get('allow'), res.headers.get('www-authenticate')]).toEqual([
          method,
          authorization ? 'expired' : 'none',
          405,
          'POST',
          null,
        ]);
      }
    }
  });

  it('answers a body that is not JSON with a JSON-RPC parse error, never a stack trace', async () => {
    const res = await post('{not json', 'Bearer x');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32700 } });
  });

  it('slows down a client that keeps retrying without a token: 429 with Retry-After', async () => {
    const limited = await start({ unauthorizedLimit: { limit: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect((await post(rpc('tools/list'), undefined, limited.server.url)).status).toBe(401);
      const res = await post(rpc('tools/list'), undefined, limited.server.url);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: 'too_many_requests' });
    } finally {
      await limited.server.close();
      await limited.mcp.close();
    }
  });
});

describe('network introspection (MCP_SERVER_TOKEN_VALIDATION=network)', () => {
  let network: { mcp: McpServerApp; server: Listening };
  beforeAll(async () => {
    network = await start({}, { MCP_SERVER_TOKEN_VALIDATION: 'network' });
  });
  afterAll(async () => {
    await network?.server.close();
    await network?.mcp.close();
  });

  it('accepts a live token for this resource, refuses one for another resource, and sees a revoked one', async () => {
    const token = await accessToken({ resources: [RESOURCE] });
    expect((await post(rpc('tools/list'), `Bearer ${token}`, network.server.url)).status).toBe(200);

    const other = await post(rpc('tools/list'), `Bearer ${await accessToken({ resources: ['https://other.example.test/mcp'] })}`, network.server.url);
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toMatch(/not for this MCP server/);

    // Local validation cannot see a revocation (the JWT still verifies); introspection does.
    await fetch(`${emulator.url}/v1/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token, client_id: publicClient.client_id }) });
    const revoked = await post(rpc('tools/list'), `Bearer ${token}`, network.server.url);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toMatch(/not active/);
    expect((await post(rpc('tools/list'), `Bearer ${token}`)).status).toBe(200);
  });
});
