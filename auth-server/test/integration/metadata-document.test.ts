/**
 * A client whose client_id is its Client ID Metadata Document URL, through the Authorization URL: the consent
 * page names it from its document and its code arrives at its loopback redirect; a document that cannot be used
 * is an error page naming the reason (never a redirect: its redirect_uri cannot be trusted).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField } from '../../../test/support/browser.ts';
import { authorizePath, newBrowser, signIn, startStack, type Stack } from './helpers.ts';

const documents = new Map<string, unknown>();
let docs: Server;
let base = '';
let stack: Stack;

beforeAll(async () => {
  docs = createServer((req, res) => {
    const doc = documents.get(req.url ?? '');
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(doc ?? {}));
  });
  await new Promise<void>((resolve) => docs.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
  stack = await startStack('consumer', { emulator: { allowInsecureClientMetadataUrls: true } });
});
afterAll(async () => {
  await stack?.close();
  docs.closeAllConnections();
  await new Promise((resolve) => docs.close(resolve));
});

describe('Client ID Metadata Documents at the Authorization URL', () => {
  it('a valid document: consent names the client, Allow sends the code to its loopback redirect at any port', async () => {
    const clientId = `${base}/good/client.json`;
    documents.set('/good/client.json', { client_id: clientId, client_name: 'Doc <Agent>', redirect_uris: ['http://127.0.0.1/callback'] });
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const consent = await browser.get(authorizePath({ client_id: clientId }, { redirect_uri: 'http://127.0.0.1:53682/callback' }));
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Doc &lt;Agent&gt;');
    expect(consent.body).toContain('Third-party application');
    expect(consent.body).toContain(`Identified by <strong>${new URL(base).host}</strong>`);
    const res = await browser.post('/oauth/authorize/submit', {
      _csrf: hiddenField(consent, '_csrf'),
      transaction_id: hiddenField(consent, 'transaction_id'),
      decision: 'allow',
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^http:\/\/127\.0\.0\.1:53682\/callback\?code=/);
  });

  it('a document whose client_id differs: the invalid_client page with the reason, no redirect', async () => {
    const clientId = `${base}/forged/client.json`;
    documents.set('/forged/client.json', { client_id: 'https://claude.ai/client.json', redirect_uris: ['http://127.0.0.1/callback'] });
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const res = await browser.get(authorizePath({ client_id: clientId }, { redirect_uri: 'http://127.0.0.1:53682/callback' }));
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.body).toContain('data-error-code="invalid_client"');
    expect(res.body).toContain('not the URL it was fetched from');
  });
});
