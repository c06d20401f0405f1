/**
 * Regressions: redaction reached two levels only (`*.*.key`), and redacting the key `code` also hid `err.code`
 * (the client-app's warnings read `"code":"[redacted]"`). Logging is one scrub pass at any depth.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express, { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors.ts';
import { listen } from '../http.ts';
import { createLogger, requestLogging } from '../log.ts';

function capture(level: Parameters<typeof createLogger>[1] = 'info') {
  const lines: string[] = [];
  const log = createLogger(
    'test',
    level,
    new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLXRlc3QtMSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const SECRETS = {
  accessToken: JWT,
  refreshToken: 'rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  clientSecret: 'cs_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t',
  authorizationCode: 'Zk3Jq9Xw0bVt7Rn2Lm5Hp8Gd1Fs4Ce6Ay',
  hexCode: 'a3f9c2e17b4d8056e2f1a9c3b7d40e58',
  password: 'correct-horse-battery-staple',
  basic: Buffer.from('connected-app-test-1:cs_BasicBasicBasic').toString('base64'),
  cookie: 'client-app.sid=s%3Aabcdefghijklmnop.signaturesignature',
  verifier: 'v3r1f13r-v3r1f13r-v3r1f13r-v3r1f13r-v3r1f13r',
  stytchSession: 'sess_mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q',
};

describe('log redaction', () => {
  // One row per place a secret can hide; each is logged at depth 1, 3 and 6.
  const shapes: Array<[string, Record<string, unknown>]> = [
    ['token keys', { access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken, id_token: JWT }],
    ['camelCase keys', { accessToken: SECRETS.accessToken, clientSecret: SECRETS.clientSecret, sessionToken: SECRETS.stytchSession }],
    ['an authorization code', { code: SECRETS.authorizationCode }],
    ['a hex authorization code', { code: SECRETS.hexCode }],
    ['a password and a PKCE verifier', { password: SECRETS.password, code_verifier: SECRETS.verifier }],
    ['headers', { headers: { Authorization: `Basic ${SECRETS.basic}`, cookie: SECRETS.cookie, 'set-cookie': [SECRETS.cookie] } }],
    ['Basic credentials in any string', { note: `sent Basic ${SECRETS.basic} to the token endpoint` }],
    ['a bearer token in any string', { note: `Bearer ${SECRETS.stytchSession}` }],
    ['a JWT in any string', { body: `{"id_token":"${JWT}"}` }],
    ['secret query parameters in a URL', { url: `http://localhost:3001/callback?code=${SECRETS.authorizationCode}&state=st_1234567890abcdef` }],
    ['a URL object', { location: new URL(`http://localhost:3001/callback?code=${SECRETS.hexCode}`) }],
    ['an array of tokens', { grants: [{ refresh_token: SECRETS.refreshToken }, { token: SECRETS.accessToken }] }],
    ['client_secret_post body', { form: { client_id: 'connected-app-test-1', client_secret: SECRETS.clientSecret } }],
  ];
  const nest = (value: Record<string, unknown>, depth: number): Record<string, unknown> => (depth <= 1 ? value : { level: nest(value, depth - 1) });

  it.each(shapes)('%s: nothing leaks at depth 1, 3 or 6', (_name, shape) => {
    const { log, lines } = capture();
    for (const depth of [1, 3, 6]) log.warn(nest(shape, depth), 'something happened');
    const out = lines.join('');
    for (const [name, secret] of Object.entries(SECRETS)) expect(out, name).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('errors: their fields and causes are scrubbed, their codes stay readable', () => {
    const { log, json } = capture();
    const cause = Object.assign(new Error(`token endpoint said no to Basic ${SECRETS.basic}`), { code: 'ECONNRESET' });
    const err = Object.assign(new CodedError('ERR_TOKEN_EXCHANGE', 'the code exchange failed', { cause }), {
      response: { status: 400, body: { error: 'invalid_grant', code: SECRETS.authorizationCode, refresh_token: SECRETS.refreshToken } },
    });
    log.warn({ err, context: { nested: { deeper: { err } } } }, 'exchange failed');
    log.error(new Error(`lost ${JWT}`));
    const [first, second] = json();
    const out = JSON.stringify([first, second]);
    for (const [name, secret] of Object.entries(SECRETS)) expect(out, name).not.toContain(secret);
    expect(first).toMatchObject({
      err: {
        type: 'CodedError',
        code: 'ERR_TOKEN_EXCHANGE',
        message: 'the code exchange failed',
        cause: { code: 'ECONNRESET' },
        response: { status: 400, body: { error: 'invalid_grant', code: '[redacted]' } },
      },
      context: { nested: { deeper: { err: { code: 'ERR_TOKEN_EXCHANGE' } } } },
    });
    expect(second).toMatchObject({ msg: 'lost [redacted]', err: { type: 'Error' } });
  });

  it('error codes under `code` stay readable wherever they are; numbers too', () => {
    const { log, json } = capture();
    log.warn({ code: 'ERR_PORT_IN_USE', result: { code: 'invalid_grant' }, exit: { code: 2 }, oauth: { code: 'OAUTH_RESPONSE_IS_NOT_CONFORM' } }, 'codes');
    expect(json()[0]).toMatchObject({
      code: 'ERR_PORT_IN_USE',
      result: { code: 'invalid_grant' },
      exit: { code: 2 },
      oauth: { code: 'OAUTH_RESPONSE_IS_NOT_CONFORM' },
    });
  });

  it("a child logger's bindings are scrubbed too, and a cycle does not hang", () => {
    const { log, json } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    log.child({ session: { access_token: SECRETS.accessToken } }).info({ loop }, `message with ${JWT}`);
    const [line] = json();
    expect(line).toMatchObject({ session: { access_token: '[redacted]' }, loop: { name: 'loop', self: '[Circular]' }, msg: 'message with [redacted]' });
  });
});

describe('request log', () => {
  /** An app with a router mounted at `mount`: one route that answers, one that fails into the app's error handler. */
  function app(log: ReturnType<typeof capture>['log'], mount: string) {
    const a = express();
    a.use(requestLogging(log));
    const router = Router();
    router.get('/items/:id', (_req, res) => {
      res.send('ok');
    });
    router.get('/broken/:id', () => {
      throw new Error('broken');
    });
    a.use(mount, router);
    a.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send('error');
    });
    return a;
  }

  it('names the route pattern with its mount path, also for an error handled after the router, per app', async () => {
    // Two apps in one process (as the tests start them): each records its own patterns.
    const first = capture();
    const second = capture();
    const servers = [await listen(app(first.log, '/v1'), { port: 0 }), await listen(app(second.log, '/v2'), { port: 0 })];
    try {
      const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
      for (const path of ['/v1/items/42?code=leak', '/v1/broken/7', '/nowhere']) await (await fetch(`${one.url}${path}`)).text();
      await (await fetch(`${two.url}/v2/items/1`)).text();
      const requests = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === 'request').map((l) => [l.method, l.route, l.path, l.status]);
      expect(requests(first.json())).toEqual([
        ['GET', '/v1/items/:id', '/v1/items/42', 200],
        ['GET', '/v1/broken/:id', '/v1/broken/7', 500],
        ['GET', null, '/nowhere', 404],
      ]);
      expect(requests(second.json())).toEqual([['GET', '/v2/items/:id', '/v2/items/1', 200]]);
      expect(first.lines.join('')).not.toContain('leak');
    } finally {
      for (const s of servers) await s.close();
    }
  });

  it('logs nothing below its level', async () => {
    const { log, lines } = capture();
    log.level = 'warn';
    const server = await listen(app(log, '/v1'), { port: 0 });
    try {
      await (await fetch(`${server.url}/v1/items/1`)).text();
      await (await fetch(`${server.url}/v1/broken/1`)).text();
    } finally {
      await server.close();
    }
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((l) => [l.msg, l.status])).toEqual([['request', 500]]);
  });
});

describe('request logging', () => {
  it('below its level a request writes nothing; what a handler logs carries the request id', async () => {
    const { log, json } = capture('warn');
    const app = express();
    app.use(requestLogging(log));
    app.get('/ok', (_req, res) => {
      res.send('ok');
    });
    app.get('/warned', (req, res) => {
      req.log.warn('handler warning');
      res.status(404).send('no');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/ok`, { headers: { 'x-request-id': 'req-ok' } });
      await fetch(`${base}/warned`, { headers: { 'x-request-id': 'req-warned' } });
    } finally {
      server.close();
    }
    expect(json().map((l) => [l.msg, l.reqId, l.status])).toEqual([
      ['handler warning', 'req-warned', undefined],
      ['request', 'req-warned', 404],
    ]);
  });
});
