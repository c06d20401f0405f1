/**
 * `verify --mcp-server-url` against MCP servers that get one rule wrong each, one row per rule, with the fix
 * each failure names. (The correct case, the sample mcp-server, passes in login.test.ts's full runs.) The servers
 * here are deliberately wrong stand-ins for a team's own MCP server, written for these rows.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../shared/http.ts';
import { createClient, resultOf, runVerify, startTestProject, targetFor, type TestProject } from './harness.ts';

interface Mistakes {
  /** What the metadata names as authorization server (default: the project). */
  authorizationServers?: (project: TestProject) => string[];
  /** No metadata at all. */
  noMetadata?: boolean;
  /** A 401 without resource_metadata. */
  bareChallenge?: boolean;
  /** Any bearer token is good (no audience check). */
  acceptAnyToken?: boolean;
}

let project: TestProject;
const servers: Listening[] = [];

beforeAll(async () => {
  project = await startTestProject();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await project?.close();
});

/** An MCP endpoint at `<url>/mcp` with the given mistakes; otherwise what RFC 9728 and RFC 6750 ask for. */
async function mcpServer(mistakes: Mistakes): Promise<string> {
  const app = express();
  const listening = await listen(app, { port: 0 });
  servers.push(listening);
  const resource = `${listening.url}/mcp`;
  const metadataUrl = `${listening.url}/.well-known/oauth-protected-resource/mcp`;
  if (!mistakes.noMetadata) {
    app.get('/.well-known/oauth-protected-resource/mcp', (_req, res) => {
      res.json({ resource, authorization_servers: mistakes.authorizationServers?.(project) ?? [project.apiUrl] });
    });
  }
  app.post('/mcp', (req, res) => {
    if (req.headers.authorization && mistakes.acceptAnyToken) {
      res.json({ jsonrpc: '2.0', id: 1, result: {} });
      return;
    }
    res
      .set('WWW-Authenticate', mistakes.bareChallenge ? 'Bearer' : `Bearer resource_metadata="${metadataUrl}"`)
      .status(401)
      .json({ error: 'invalid_token' });
  });
  return resource;
}

describe('verify --mcp-server-url', () => {
  const rows: Array<{ rule: string; mistakes: Mistakes; check: string; seen: RegExp; fix: RegExp }> = [
    {
      rule: 'no protected resource metadata',
      mistakes: { noMetadata: true },
      check: 'mcp-server.metadata',
      seen: /oauth-protected-resource\/mcp → 404/,
      fix: /Serve RFC 9728 metadata at/,
    },
    {
      rule: 'metadata naming the Authorization URL as authorization server',
      mistakes: { authorizationServers: (p) => [p.authorizationUrl] },
      check: 'mcp-server.metadata',
      seen: /authorization_servers is \[".*\/oauth\/authorize"\], not this project's domain/,
      fix: /List the project domain, http:\/\/localhost:\d+, in authorization_servers/,
    },
    {
      rule: 'a 401 without resource_metadata',
      mistakes: { bareChallenge: true },
      check: 'mcp-server.challenge',
      seen: /401, but WWW-Authenticate is "Bearer"/,
      fix: /Add resource_metadata=/,
    },
  ];
  for (const row of rows) {
    it(`✖ ${row.check} for ${row.rule}, with its fix`, async () => {
      const report = await runVerify(targetFor(project, { clientId: project.seed.clients[0]!.client_id, mcpServerUrl: await mcpServer(row.mistakes) }));
      const result = resultOf(report, row.check);
      expect(result.status).toBe('fail');
      expect(result.seen).toMatch(row.seen);
      expect(result.fix).toMatch(row.fix);
    });
  }

  it('✖ mcp-server.token for a server that accepts a token issued for another resource (live login)', async () => {
    const client = await createClient(project, { client_type: 'third_party' });
    const mcpServerUrl = await mcpServer({ acceptAnyToken: true });
    const report = await runVerify(targetFor(project, { ...client, authMethod: 'client_secret_basic', login: true, user: project.demoUser, mcpServerUrl }));
    expect(resultOf(report, 'mcp-server.metadata').status).toBe('pass');
    expect(resultOf(report, 'mcp-server.registration').seen).toMatch(/registered a public client by DCR \(connected-app-test-\S+\) and deleted it/);
    const result = resultOf(report, 'mcp-server.token');
    expect(result.status).toBe('fail');
    expect(result.seen).toMatch(/a token for https:\/\/another-resource\.invalid\/mcp only \(aud \[".*","https:\/\/another-resource\.invalid\/mcp"\]\) → 200/);
    expect(result.fix).toMatch(/Refuse tokens whose aud does not include http:\/\/localhost:\d+\/mcp with 401 invalid_token/);
  });
});
