/**
 * Client ID Metadata Documents: a client whose client_id is the URL of its metadata document, served here by
 * a small local server on loopback http (the emulator runs with allowInsecureClientMetadataUrls, as local tests
 * must). The happy path through the SDK and the token endpoint, HTTP caching, and one row per way a document
 * can be unusable, each a clear Stytch error that stores nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheSeconds, metadataDocumentUrlProblem } from '../../clients/metadata-document.ts';
import type { RunningEmulator } from '../../index.ts';
import { authorize, pkcePair, postForm, sdk, start, stytchError, type Harness, type TestClient } from './helpers.ts';

const CALLBACK = 'http://127.0.0.1/callback';

interface Served {
  status?: number;
  headers?: Record<string, string>;
  /** A document (JSON-encoded) or a raw body. */
  body: unknown;
  delayMs?: number;
}

let h: Harness;
let em: RunningEmulator;
let docs: Server;
let base = '';
const served = new Map<string, Served>();
const hits = new Map<string, number>();

/** Serves `doc` at `path` and returns its URL, the client_id. */
function host(path: string, doc: (url: string) => Served): string {
  const url = `${base}${path}`;
  served.set(path, doc(url));
  return url;
}
const valid = (url: string, extra: Record<string, unknown> = {}) => ({ client_id: url, client_name: 'Doc Agent', redirect_uris: [CALLBACK], ...extra });

beforeAll(async () => {
  docs = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const doc = served.get(path);
    if (!doc) {
      res.writeHead(404).end();
      return;
    }
    setTimeout(() => {
      const body = typeof doc.body === 'string' ? doc.body : JSON.stringify(doc.body);
      res.writeHead(doc.status ?? 200, { 'content-type': 'application/json', ...doc.headers });
      res.end(body);
    }, doc.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
  h = await start('consumer', { allowInsecureClientMetadataUrls: true, clientMetadataDocumentLimits: { timeoutMs: 300 } });
  em = h.emulator;
});
afterAll(async () => {
  await em.close();
  docs.closeAllConnections();
  await new Promise((resolve) => docs.close(resolve));
});

const client = (clientId: string): TestClient => ({ client_id: clientId, client_type: 'third_party_public' });
const stored = (clientId: string) => em.ctx.store.collection('clients').get(clientId);

async function login(clientId: string, redirectUri = 'http://127.0.0.1:53682/callback') {
  const pkce = pkcePair();
  const { code } = await authorize(em, { client: client(clientId), redirect_uri: redirectUri, code_challenge: pkce.challenge, scopes: ['openid'] });
  return postForm(
    em,
    '/v1/oauth2/token',
    { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier },
    { client: client(clientId) },
  );
}

describe('Client ID Metadata Documents', () => {
  it('discovery advertises client_id_metadata_document_supported (on in the demo seeds)', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      expect(((await (await fetch(`${em.url}${path}`)).json()) as Record<string, unknown>).client_id_metadata_document_supported).toBe(true);
    }
  });

  it('a document client: third_party_public, named by its document, asked for consent, and its code redeemed with the URL as client_id', async () => {
    const url = host('/agent/client.json', (u) => ({ body: valid(u) }));
    const started = await sdk(em).idp.oauth.authorizeStart({
      client_id: url,
      redirect_uri: 'http://127.0.0.1:5000/callback',
      response_type: 'code',
      scopes: ['openid'],
      user_id: 'user-test-00000000-0000-4000-8000-000000000001',
    });
    expect(started.client).toMatchObject({ client_id: url, client_name: 'Doc Agent', client_type: 'third_party_public' });
    expect(started.consent_required).toBe(true);
    expect((await login(url)).status).toBe(200);
    const wire = (await sdk(em).connectedApp.clients.get({ client_id: url })).connected_app;
    expect(wire).toMatchObject({
      client_id: url,
      client_type: 'third_party_public',
      creation_method: 'client_id_metadata_document',
      client_id_metadata_url: url,
    });
  });

  it('caches the document for its Cache-Control max-age, then fetches it again (and sees a change)', async () => {
    const path = '/cached/client.json';
    const url = host(path, (u) => ({ body: valid(u), headers: { 'cache-control': 'public, max-age=60' } }));
    expect((await login(url)).status).toBe(200);
    expect((await login(url)).status).toBe(200);
    expect(hits.get(path)).toBe(1);
    served.set(path, { body: valid(url, { client_name: 'Renamed' }), headers: { 'cache-control': 'max-age=60' } });
    h.clock.advance(61);
    expect((await login(url)).status).toBe(200);
    expect(hits.get(path)).toBe(2);
    expect(stored(url)).toMatchObject({ client_name: 'Renamed' });
  });

  it('no-store: fetched at every authorization', async () => {
    const path = '/nostore/client.json';
    const url = host(path, (u) => ({ body: valid(u), headers: { 'cache-control': 'no-store' } }));
    await login(url);
    await login(url);
    expect(hits.get(path)).toBe(2);
  });

  // One row per rule; each refusal is Stytch's invalid_client_id (400) naming the reason, and stores nothing.
  it.each<[string, string, (url: string) => Served | undefined, RegExp]>([
    ['no document at the URL', '/gone/client.json', () => undefined, /answered HTTP 404/],
    ['an error status', '/500/client.json', () => ({ status: 500, body: 'oops' }), /answered HTTP 500/],
    ['a redirect', '/moved/client.json', (u) => ({ status: 302, headers: { location: `${u}2` }, body: '' }), /redirect/],
    ['too slow', '/slow/client.json', (u) => ({ body: valid(u), delayMs: 1500 }), /did not answer within 300 ms/],
    ['too large', '/large/client.json', (u) => ({ body: valid(u, { client_name: 'x'.repeat(200), padding: 'y'.repeat(6000) }) }), /larger than 5120 bytes/],
    ['not JSON', '/html/client.json', () => ({ body: '<html>hello</html>', headers: { 'content-type': 'text/html' } }), /is not JSON/],
    ['a JSON array', '/array/client.json', () => ({ body: '[]' }), /not a JSON object/],
    ['a client_id that differs', '/other/client.json', () => ({ body: valid('https://evil.example/client.json') }), /not the URL it was fetched from/],
    ['a client_secret', '/secret/client.json', (u) => ({ body: valid(u, { client_secret: 's3cret' }) }), /client_secret/],
    [
      'a confidential auth method',
      '/basic/client.json',
      (u) => ({ body: valid(u, { token_endpoint_auth_method: 'client_secret_basic' }) }),
      /token_endpoint_auth_method must be none/,
    ],
    ['no redirect_uris', '/noredirect/client.json', (u) => ({ body: { client_id: u } }), /redirect_uris/],
    ['a redirect URI with a fragment', '/fragment/client.json', (u) => ({ body: valid(u, { redirect_uris: [`${CALLBACK}#x`] }) }), /redirect_uris/],
    ['an implicit grant type', '/implicit/client.json', (u) => ({ body: valid(u, { grant_types: ['implicit'] }) }), /grant_types/],
    ['a javascript: logo_uri', '/jslogo/client.json', (u) => ({ body: valid(u, { logo_uri: 'javascript:alert(1)' }) }), /logo_uri/],
    [
      'an http logo_uri off loopback',
      '/httplogo/client.json',
      (u) => ({ body: valid(u, { logo_uri: 'http://cdn.example.test/logo.png' }) }),
      /logo_uri must be an https URL/,
    ],
  ])('%s → 400 invalid_client_id', async (_rule, path, doc, reason) => {
    const url = `${base}${path}`;
    const content = doc(url);
    if (content) served.set(path, content);
    const before = em.ctx.store.collection('clients').all().length;
    const err = await stytchError(() =>
      authorize(em, { client: client(url), redirect_uri: 'http://127.0.0.1:5000/callback', code_challenge: pkcePair().challenge }),
    );
    expect([err.status_code, err.error_type]).toEqual([400, 'invalid_client_id']);
    expect(err.error_message).toMatch(reason);
    expect(em.ctx.store.collection('clients').all().length).toBe(before);
  });

  it('no answer at all (nothing listens) → 400 invalid_client_id', async () => {
    const url = 'http://127.0.0.1:1/client.json';
    const err = await stytchError(() =>
      authorize(em, { client: client(url), redirect_uri: 'http://127.0.0.1:5000/callback', code_challenge: pkcePair().challenge }),
    );
    expect([err.status_code, err.error_type]).toEqual([400, 'invalid_client_id']);
    expect(err.error_message).toMatch(/could not be fetched/);
  });

  it('a redirect URI the document does not list → 401 connected_app_supplied_redirect_url_not_found_in_client', async () => {
    const url = host('/listed/client.json', (u) => ({ body: valid(u) }));
    const err = await stytchError(() =>
      authorize(em, { client: client(url), redirect_uri: 'https://evil.example/callback', code_challenge: pkcePair().challenge }),
    );
    expect([err.status_code, err.error_type]).toEqual([401, 'connected_app_supplied_redirect_url_not_found_in_client']);
  });

  it('a new document client in a full project → 400 too_many_connected_apps, nothing stored', async () => {
    const seeded = em.ctx.store
      .collection('clients')
      .all()
      .filter((c) => (c as { creation_method: string }).creation_method === 'seed').length;
    const full = (await start('consumer', { allowInsecureClientMetadataUrls: true, connectedAppLimit: seeded })).emulator;
    try {
      const url = host('/full/client.json', (u) => ({ body: valid(u) }));
      const err = await stytchError(() =>
        authorize(full, { client: client(url), redirect_uri: 'http://127.0.0.1:5000/callback', code_challenge: pkcePair().challenge }),
      );
      expect([err.status_code, err.error_type]).toEqual([400, 'too_many_connected_apps']);
      expect(full.ctx.store.collection('clients').get(url)).toBeUndefined();
    } finally {
      await full.close();
    }
  });

  it('https on loopback with a self-signed certificate (how MCP SDK tests must serve it): accepted only with allowInsecureClientMetadataUrls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimd-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {
      stdio: 'ignore',
    });
    let url = '';
    const tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(valid(url)));
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/client.json`;
    const strict = (await start('consumer')).emulator;
    try {
      expect((await login(url)).status).toBe(200);
      const err = await stytchError(() =>
        authorize(strict, { client: client(url), redirect_uri: 'http://127.0.0.1:5000/callback', code_challenge: pkcePair().challenge }),
      );
      expect([err.status_code, err.error_type]).toEqual([400, 'invalid_client_id']);
      expect(err.error_message).toMatch(/could not be fetched \(.*certificate/);
    } finally {
      await strict.close();
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with CIMD off, a URL client_id is just an unknown client', async () => {
    em.ctx.updateSettings({ client_id_metadata_documents: false });
    try {
      const url = host('/off/client.json', (u) => ({ body: valid(u) }));
      const err = await stytchError(() =>
        authorize(em, { client: client(url), redirect_uri: 'http://127.0.0.1:5000/callback', code_challenge: pkcePair().challenge }),
      );
      expect([err.status_code, err.error_type]).toEqual([404, 'connected_app_not_found']);
      expect(
        ((await (await fetch(`${em.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>).client_id_metadata_document_supported,
      ).toBeUndefined();
    } finally {
      em.ctx.updateSettings({ client_id_metadata_documents: true });
    }
  });
});

describe('metadata document URL rules (draft-ietf-oauth-client-id-metadata-document §3)', () => {
  it.each([
    ['https with a path', 'https://app.example/oauth/client.json', {}, undefined],
    ['plain http on a public host', 'http://app.example/client.json', { allowInsecureUrls: true }, 'must use https'],
    ['loopback http without the option', 'http://127.0.0.1:4000/client.json', {}, /allowInsecureClientMetadataUrls/],
    ['loopback http with the option', 'http://127.0.0.1:4000/client.json', { allowInsecureUrls: true }, undefined],
    ['no path', 'https://app.example', {}, /must have a path/],
    ['a fragment', 'https://app.example/client.json#x', {}, /fragment/],
    ['user info', 'https://me:pw@app.example/client.json', {}, /user name or password/],
    ['a dot segment', 'https://app.example/a/../client.json', {}, /path segments/],
    ['another scheme', 'ftp://app.example/client.json', {}, 'must use https'],
  ])('%s', (_rule, url, opts, expected) => {
    const problem = metadataDocumentUrlProblem(url, { allowInsecureUrls: false, ...opts });
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it.each([
    [null, 300],
    ['max-age=60', 60],
    ['public, max-age=120, must-revalidate', 120],
    ['max-age=999999999', 86400],
    ['no-store', 0],
    ['no-cache, max-age=60', 0],
  ])('Cache-Control %s → %i s', (header, seconds) => {
    expect(cacheSeconds(header)).toBe(seconds);
  });
});
