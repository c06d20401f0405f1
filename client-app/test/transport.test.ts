/**
 * The default transport (undici's `request`) behaves as `fetch` wherever openid-client relies on it: one row per
 * behaviour, each run through both and compared, against a real local server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.ts';
import { fetchTransport, toResponse, type Transport, type TransportOptions, undiciTransport } from '../src/oidc/transport.ts';

let server: Server;
let base: string;
const transports: Array<[string, Transport]> = [
  ['undici request', undiciTransport()],
  ['fetch', fetchTransport(fetch)],
];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/hang') return;
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/elsewhere' }).end();
      if (req.url === '/empty') return void res.writeHead(204).end();
      res.writeHead(req.url === '/error' ? 401 : 200, [
        ['content-type', 'application/json'],
        ['www-authenticate', 'Bearer error="invalid_token"'],
        ['x-several', 'a'],
        ['x-several', 'b'],
      ]);
      res.end(JSON.stringify({ method: req.method, contentType: req.headers['content-type'] ?? null, authorization: req.headers.authorization ?? null, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const [, t] of transports) await t.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = (over: Partial<TransportOptions> = {}): TransportOptions => ({ method: 'GET', headers: {}, body: undefined, redirect: 'manual', ...over });

/** What openid-client can observe of an exchange: the Response it reads, or the error it gets. */
async function observe(transport: Transport, path: string, over: Partial<TransportOptions>) {
  try {
    const res = toResponse(await transport.send(path.startsWith('http') ? path : `${base}${path}`, options(over)));
    return {
      status: res.status,
      location: res.headers.get('location'),
      challenge: res.headers.get('www-authenticate'),
      several: res.headers.get('x-several'),
      body: res.status === 204 ? null : (JSON.parse((await res.text()) || 'null') as unknown),
    };
  } catch (err) {
    const cause = (err as Error).cause as { code?: string } | undefined;
    return { error: `${(err as Error).constructor.name} ${(err as Error).name}: ${(err as Error).message}`, cause: cause?.code };
  }
}

/** What the row sends, and (besides being the same through both) what must come back. */
const rows: Array<[string, string | (() => Promise<string>), Partial<TransportOptions>, Record<string, unknown>]> = [
  [
    "a form POST gets fetch's default content type",
    '/token',
    { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c' }) },
    {
      status: 200,
      body: { method: 'POST', contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'grant_type=authorization_code&code=c' },
    },
  ],
  [
    'headers are sent as given',
    '/token',
    { method: 'POST', headers: { authorization: 'Basic abc', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
    { status: 200, several: 'a, b', body: { contentType: 'application/x-www-form-urlencoded', authorization: 'Basic abc' } },
  ],
  ['an error status is a response, with its challenge', '/error', {}, { status: 401, challenge: 'Bearer error="invalid_token"' }],
  ['a redirect is not followed', '/redirect', {}, { status: 302, location: '/elsewhere' }],
  ['a 204 has no body', '/empty', {}, { status: 204, body: null }],
  [
    "a timeout rejects with the signal's reason",
    '/hang',
    { signal: AbortSignal.timeout(200) },
    { error: 'DOMException TimeoutError: The operation was aborted due to timeout' },
  ],
  [
    'a refused connection is TypeError: fetch failed, with the cause',
    async () => `http://127.0.0.1:${await freePort()}/`,
    {},
    { error: 'TypeError TypeError: fetch failed', cause: 'ECONNREFUSED' },
  ],
];

describe('the default transport behaves as fetch', () => {
  it.each(rows)('%s', async (_label, path, over, expected) => {
    const url = typeof path === 'string' ? path : await path();
    // A fresh signal per transport: a timeout signal fires once.
    const fresh = () => (over.signal ? { ...over, signal: AbortSignal.timeout(200) } : over);
    const ours = await observe(transports[0]![1], url, fresh());
    expect(ours).toEqual(await observe(transports[1]![1], url, fresh()));
    expect(ours).toMatchObject(expected);
  });
});

/**
 * toResponse hands openid-client the body it already holds instead of a stream over it: every way of reading it
 * must behave as a standard Response over the same text does.
 */
describe('the Response openid-client gets reads as a standard one', () => {
  const text = '{"error":"invalid_grant","error_description":"code already used"}';
  const init = { status: 400, statusText: 'Bad Request', headers: new Headers({ 'content-type': 'application/json' }) };
  const outcome = async (read: () => Promise<unknown> | unknown) => {
    try {
      return { value: await read() };
    } catch (err) {
      return { error: (err as Error).constructor.name };
    }
  };
  const reads: Array<[string, (res: Response) => Promise<unknown>]> = [
    ['json()', async (res) => [await res.json(), res.bodyUsed]],
    ['text()', async (res) => [await res.text(), res.bodyUsed]],
    ['arrayBuffer()', async (res) => new TextDecoder().decode(await res.arrayBuffer())],
    ['blob()', async (res) => [(await res.clone().blob()).type, await (await res.blob()).text()]],
    ['a second read fails', async (res) => [await res.text(), await outcome(() => res.json())]],
    ['clone() then read both', async (res) => [await res.clone().json(), await res.text()]],
    ['clone() after reading fails', async (res) => [await res.text(), await outcome(() => res.clone())]],
    ['the body stream', async (res) => [await new Response(res.body).text(), res.bodyUsed, await outcome(() => res.text())]],
    ['cancelling the body stream', async (res) => [await res.body?.cancel(), res.bodyUsed]],
    ['the body stream taken, not read: then text()', async (res) => [res.body instanceof ReadableStream, res.bodyUsed, await res.text(), res.bodyUsed]],
    ['the body stream taken, not read: then clone() and read both', async (res) => [res.body !== null, await res.clone().json(), await res.text()]],
    ['status and headers', async (res) => [res.status, res.statusText, res.ok, res.headers.get('content-type'), res instanceof Response]],
  ];
  it.each(reads)('%s', async (_label, read) => {
    const ours = await outcome(() => read(toResponse({ status: init.status, statusText: init.statusText, headers: init.headers, text })));
    expect(ours).toEqual(await outcome(() => read(new Response(text, init))));
    expect(ours).not.toHaveProperty('error');
  });
});
