/**
 * Project-level mistakes: an Authorization URL that is not set or does not answer (a real emulator with that
 * setting), and discovery documents or key sets that are wrong in ways Stytch's are not (a stub serving a
 * tampered copy of the emulator's documents, as a misconfigured proxy or custom domain would). No browser.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../shared/http.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { createLogger } from '../../shared/log.ts';
import type { Json } from '../context.ts';
import { CHECKS } from '../index.ts';
import { statusLine } from '../report/human.ts';
import { failedIds, resultOf, runVerify, targetFor } from './harness.ts';

/** The URL of a port that was free a moment ago: nothing listens there. */
async function closedPortUrl(): Promise<string> {
  const server = await listen(express(), { port: 0 });
  await server.close();
  return server.url;
}

const DEMO_CLIENT = 'connected-app-test-00000000-0000-4000-8000-000000000013';
const DEMO_SECRET = 'secret-test-InsightAnalyticsDemoSecret_00000000000000=';

describe("the project's Authorization URL", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ projectType: 'consumer', db: ':memory:', port: 0, logger: createLogger('test', 'silent') });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const target = () =>
    targetFor(
      { apiUrl: emulator.url, projectId: emulator.projectId, secret: emulator.secret, clientAppUrl: 'http://localhost:3001' },
      { clientId: DEMO_CLIENT, clientSecret: DEMO_SECRET, authMethod: 'client_secret_basic' },
    );

  it('not set: Stytch answers authorization_endpoint_not_configured_for_project, and verify says where to set it', async () => {
    emulator.ctx.updateSettings({ authorization_url: null });
    const report = await runVerify(target());
    const result = resultOf(report, 'discovery.authorization-endpoint');
    expect(statusLine({ ...result, durationMs: 0 })).toBe('✖ [discovery.authorization-endpoint] Authorization URL is set (authorization_endpoint) (0 ms)');
    expect(result.seen).toBe('Stytch answers authorization_endpoint_not_configured_for_project');
    expect(result.fix).toBe(
      "Set the Authorization URL to the page of your app that handles /oauth/authorize (logs the user in, shows consent, calls Stytch's authorize API).",
    );
    expect(result.where?.path).toBe('Connected Apps › Settings › Authorization URL');
    expect(resultOf(report, 'discovery.reachable').seen).toBe(
      `GET ${emulator.url}/.well-known/openid-configuration → 400 authorization_endpoint_not_configured_for_project: Stytch serves no discovery document until the project has an Authorization URL`,
    );
    expect(failedIds(report)).toEqual(['discovery.reachable', 'discovery.authorization-endpoint']);
    // Everything that needs the discovery document is skipped, not failed: one cause, two ✖.
    expect(resultOf(report, 'client.credentials')).toMatchObject({ status: 'skip', seen: 'not run: needs discovery.endpoints (not run)' });
  });

  it.each([
    [
      'nothing listens there',
      'CLOSED/oauth/authorize',
      /^GET http:\/\/localhost:\d+\/oauth\/authorize: connection refused \(nothing listens there\)$/,
      'Deploy the page at the Authorization URL (or correct the URL): Connected Apps send people there to log in.',
    ],
    [
      'it is not the authorize page',
      'EMULATOR/not-the-authorize-page',
      /^GET http:\/\/localhost:\d+\/not-the-authorize-page → 404$/,
      'Nothing is served at this path: deploy your authorize page there, or set the Authorization URL to where it is.',
    ],
  ])('set, but %s', async (_case, url, seen, fix) => {
    emulator.ctx.updateSettings({ authorization_url: url.replace('EMULATOR', emulator.url).replace('CLOSED', await closedPortUrl()) });
    const report = await runVerify(target());
    const result = resultOf(report, 'authorization-url.answers');
    expect(statusLine({ ...result, durationMs: 0 })).toBe('✖ [authorization-url.answers] Authorization URL answers (200 or a redirect to login) (0 ms)');
    expect(result.seen).toMatch(seen);
    expect(result.fix).toBe(fix);
    expect(failedIds(report)).toEqual(['authorization-url.answers']);
  });

  it('set to plain http outside localhost: refused before anything is sent there', async () => {
    emulator.ctx.updateSettings({ authorization_url: 'http://login.example.com/oauth/authorize' });
    const result = resultOf(await runVerify(target()), 'discovery.authorization-endpoint');
    expect(result).toMatchObject({ status: 'fail', seen: 'authorization_endpoint http://login.example.com/oauth/authorize uses plain http' });
  });
});

describe('discovery documents and keys that are wrong', () => {
  let emulator: RunningEmulator;
  let stub: Listening;
  let openid: Json;
  let jwks: Json;
  let tamper: { openid?: (doc: Json) => Json; as?: (doc: Json) => Json; jwks?: (doc: Json) => Json } = {};

  beforeAll(async () => {
    emulator = await startEmulator({ projectType: 'consumer', db: ':memory:', port: 0, logger: createLogger('test', 'silent') });
    emulator.ctx.updateSettings({ authorization_url: 'http://localhost:3000/oauth/authorize' });
    openid = (await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json()) as Json;
    jwks = (await (await fetch(`${emulator.url}/.well-known/jwks.json`)).json()) as Json;
    const app = express();
    // The stub is the "project domain" here: its documents name it as issuer, the emulator serves the rest.
    app.get('/.well-known/openid-configuration', (_req, res) => {
      const doc = { ...openid, issuer: stub.url, jwks_uri: `${stub.url}/.well-known/jwks.json` };
      res.json(tamper.openid ? tamper.openid(doc) : doc);
    });
    app.get('/.well-known/oauth-authorization-server', (_req, res) => {
      const doc = { ...openid, issuer: stub.url, jwks_uri: `${stub.url}/.well-known/jwks.json` };
      res.json(tamper.as ? tamper.as(doc) : doc);
    });
    app.get('/.well-known/jwks.json', (_req, res) => {
      res.json(tamper.jwks ? tamper.jwks(jwks) : jwks);
    });
    stub = await listen(app, { port: 0 });
  });
  afterAll(async () => {
    await stub?.close();
    await emulator?.close();
  });

  const discoveryChecks = CHECKS.filter((c) => c.id.startsWith('discovery.') || c.id.startsWith('mcp.'));
  const run = (t: typeof tamper) => {
    tamper = t;
    return runVerify(
      targetFor({ apiUrl: stub.url, projectId: emulator.projectId, secret: emulator.secret, clientAppUrl: 'http://localhost:3001' }, { clientId: DEMO_CLIENT }),
      { checks: discoveryChecks },
    );
  };
  const without = (key: string) => (doc: Json) => Object.fromEntries(Object.entries(doc).filter(([k]) => k !== key));
  const keys = () => (jwks.keys as Json[]).map((k) => ({ ...k }));

  it('untampered, every discovery check passes', async () => {
    const report = await run({});
    expect(report.results.map((r) => `${r.id} ${r.status}`)).toEqual(discoveryChecks.map((c) => `${c.id} pass`));
  });

  it.each([
    {
      mistake: "the issuer in Stytch's legacy stytch.com/{project_id} form",
      tamper: { openid: (d: Json) => ({ ...d, issuer: 'stytch.com/project-test-123' }) },
      id: 'discovery.issuer',
      seen: /^the document at http:\/\/localhost:\d+\/\.well-known\/openid-configuration says issuer "stytch\.com\/project-test-123", which is not a URL \(Stytch's form when called through its API host\)$/,
      fix: 'Point your app and your Stytch SDK at the project domain (https://{project domain}): discovery, tokens and authorization responses then all say the same issuer.',
    },
    {
      mistake: 'no userinfo endpoint',
      tamper: { openid: without('userinfo_endpoint') },
      id: 'discovery.endpoints',
      seen: /^userinfo_endpoint missing$/,
      fix: 'STYTCH_API_URL must be the project domain, whose discovery document lists these endpoints; a proxy in front of it must not rewrite them.',
    },
    {
      mistake: 'PKCE methods without S256',
      tamper: { openid: (d: Json) => ({ ...d, code_challenge_methods_supported: ['plain'] }) },
      id: 'discovery.pkce',
      seen: /^code_challenge_methods_supported is \["plain"\], without S256$/,
      fix: 'The issuer must support PKCE with S256; check that STYTCH_API_URL is the Stytch project domain.',
    },
    {
      mistake: 'HS256 offered for ID tokens',
      tamper: { openid: (d: Json) => ({ ...d, id_token_signing_alg_values_supported: ['RS256', 'HS256'] }) },
      id: 'discovery.jwks',
      seen: /^id_token_signing_alg_values_supported is \["RS256","HS256"\]$/,
      fix: 'The issuer must sign with RS256 only; pin id_token_signed_response_alg: "RS256" in your client as well.',
    },
    {
      mistake: 'two keys with one kid',
      tamper: { jwks: () => ({ keys: [...keys(), ...keys()] }) },
      id: 'discovery.jwks',
      seen: /^kid used more than once: jwk-test-\S+$/,
      fix: "The JWKS must publish RS256 keys, each with its own kid; check that jwks_uri is Stytch's and not a stale copy.",
    },
    {
      mistake: 'no RS256 key, and a key without kid',
      tamper: { jwks: () => ({ keys: keys().map(({ kid: _kid, ...k }) => ({ ...k, alg: 'RS512' })) }) },
      id: 'discovery.jwks',
      seen: /^no RS256 signing key among 1 key\(s\); 1 key\(s\) without a kid$/,
      fix: "The JWKS must publish RS256 keys, each with its own kid; check that jwks_uri is Stytch's and not a stale copy.",
    },
    {
      mistake: 'an RFC 8414 document that disagrees with the OpenID configuration',
      tamper: { as: (d: Json) => ({ ...d, token_endpoint: 'https://elsewhere.example/token' }) },
      id: 'mcp.metadata',
      seen: /^token_endpoint "https:\/\/elsewhere\.example\/token" ≠ "http:\/\/localhost:\d+\/v1\/oauth2\/token"$/,
      fix: 'Both documents must describe the same server: serve them from the same host (the project domain) without a proxy rewriting either.',
    },
  ])('$mistake → ✖ $id', async ({ tamper: t, id, seen, fix }) => {
    const report = await run(t);
    const result = resultOf(report, id);
    expect(result.status).toBe('fail');
    expect(result.seen).toMatch(seen);
    expect(result.fix).toBe(fix);
    expect(failedIds(report)[0]).toBe(id);
  });

  it('an advisory check that fails (MCP metadata) does not fail the run', async () => {
    const report = await run({ as: (d: Json) => ({ ...d, issuer: 'https://other.example' }) });
    expect(resultOf(report, 'mcp.metadata')).toMatchObject({ status: 'fail', required: false });
    expect(report.ok).toBe(true);
  });

  it('warns when S256 is not advertised at all, without failing', async () => {
    const report = await run({ openid: without('code_challenge_methods_supported') });
    expect(resultOf(report, 'discovery.pkce')).toMatchObject({ status: 'warn', seen: 'code_challenge_methods_supported is not advertised' });
    expect(report.ok).toBe(true);
  });
});
