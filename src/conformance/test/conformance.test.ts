/**
 * `npx connected-app conformance`, end to end: the demo stack in-process (startStack: emulator, auth-server,
 * client-app), Chromium driving real logins.
 * - Against the reference client-app, every row passes.
 * - Against a relying party that checks nothing (it signs in whoever the token endpoint answers for), the rows
 *   it must reject fail, and the exit status says so.
 * - Bad options and unreachable services stop the run before any browser starts, with exit status 2.
 *
 * `signing-key-rotation` waits until a minute has passed since the JWKS was last served; here the clock of
 * this process (the stack's and the client-app's, openid-client's JWKS cache included) moves on instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPerson, projectOf, type Person } from '../../../test/support/people.ts';
import { SCENARIOS } from '../../emulator/index.ts';
import { startStack, type Stack } from '../../stack.ts';
import { conformanceCommand, type ConformanceIo } from '../cli.ts';
import type { ConformanceReport } from '../run.ts';

/** The client-app's HTTP timeout in this stack; token-slow stalls longer. */
const CLIENT_APP_TIMEOUT_MS = 2000;

let stack: Stack;
let person: Person;
beforeAll(async () => {
  stack = await startStack({
    ports: { emulator: 0, authServer: 0, clientApp: 0 },
    logLevel: 'silent',
    env: { OIDC_HTTP_TIMEOUT_MS: String(CLIENT_APP_TIMEOUT_MS) },
  });
  person = await createPerson(projectOf(stack));
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

function capture(): ConformanceIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
    out: () => out,
    err: () => err,
  };
}

/** Instead of waiting for a relying party's JWKS cooldown, move every clock of this process on. */
let offsetMs = 0;
async function moveClockOn(ms: number): Promise<void> {
  if (!vi.isMockFunction(Date.now)) {
    offsetMs = 0;
    const now = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => now() + offsetMs);
  }
  offsetMs += ms;
}

/** The options that point the run at this stack's emulator, as the person created above. */
function emulatorFlags(clientId: string): string[] {
  return [
    '--emulator-url',
    stack.urls.stytch,
    '--project-id',
    stack.project.projectId,
    '--secret',
    stack.project.secret,
    '--client-id',
    clientId,
    '--email',
    person.email,
    '--password',
    person.password,
  ];
}

describe('against the reference client-app', () => {
  it('passes every row (login, refresh, key rotation, a stalled token endpoint), with --json and --junit', { timeout: 120_000 }, async () => {
    const insight = stack.clients.find((c) => c.profileId === 'insight-analytics')!;
    const junit = join(mkdtempSync(join(tmpdir(), 'conformance-')), 'junit.xml');
    const io = capture();
    const { exitCode } = await conformanceCommand(
      [
        '--rp-login-url',
        `${stack.urls.clientApp}/login?profile=insight-analytics`,
        '--rp-success-text',
        'signed in through',
        '--rp-refresh-text',
        'Refresh tokens',
        ...emulatorFlags(insight.clientId),
        '--token-delay',
        String(CLIENT_APP_TIMEOUT_MS + 2000),
        '--json',
        '--junit',
        junit,
      ],
      io,
      { wait: moveClockOn },
    );
    const report = JSON.parse(io.out()) as ConformanceReport;
    const failed = report.rows.filter((r) => r.result === 'fail');
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.rows).toHaveLength(SCENARIOS.length);
    // The only row that cannot apply to a Consumer project.
    expect(report.rows.filter((r) => r.result === 'skip').map((r) => r.scenario)).toEqual(['b2b-access-token-no-organization']);
    // The rows that must be refused were refused by the client-app's error page, not by something else.
    const refused = report.rows.filter((r) => r.expected === 'reject');
    for (const r of refused) expect(r.detail, r.scenario).toMatch(/^refused at http:\/\/localhost:\d+\/(callback|refresh): "/);
    // Key rotation ran last, after the clock moved on past openid-client's refetch cooldown.
    expect(report.rows.at(-1)!.scenario).toBe('signing-key-rotation');
    expect(offsetMs).toBeGreaterThan(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`tests="${SCENARIOS.length}" failures="0" skipped="1"`);
    expect(xml.match(/<testcase /g)).toHaveLength(SCENARIOS.length);
  });
});

/** A relying party that checks nothing: whoever the token endpoint answers for is signed in. */
async function startCarelessRp(): Promise<{ url: string; clientId: string; close(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const basic = `Basic ${Buffer.from(`${stack.project.projectId}:${stack.project.secret}`).toString('base64')}`;
  const created = await fetch(`${stack.urls.stytch}/v1/connected_apps/clients`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Careless RP', client_type: 'first_party', redirect_urls: [`${url}/callback`] }),
  });
  const { connected_app: client } = (await created.json()) as { connected_app: { client_id: string; client_secret: string } };
  const discovery = (await (await fetch(`${stack.urls.stytch}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const app = express();
  app.get('/login', (_req, res) => {
    const query = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: `${url}/callback`,
      response_type: 'code',
      scope: 'openid email',
      state: 'not-checked',
      nonce: 'not-checked',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    res.redirect(`${discovery.authorization_endpoint}?${query}`);
  });
  app.get('/callback', async (req, res) => {
    const token = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: String(req.query.code), redirect_uri: `${url}/callback`, code_verifier: verifier }),
    });
    res.send(token.ok ? '<h1>Welcome back, you are in</h1>' : `<h1 role="alert">Login failed (${token.status})</h1>`);
  });
  server.on('request', app);
  return {
    url,
    clientId: client.client_id,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('against a relying party that checks nothing', () => {
  it('fails the rows it must reject, passes the others, and exits 1', { timeout: 60_000 }, async () => {
    const rp = await startCarelessRp();
    try {
      const io = capture();
      const { exitCode, report } = await conformanceCommand(
        [
          '--rp-login-url',
          `${rp.url}/login`,
          '--rp-success-text',
          'Welcome back',
          ...emulatorFlags(rp.clientId),
          '--scenarios',
          'invalid-iss,alg-none,authz-response-state-mismatch,token-5xx,no-expires-in,refresh-invalid-sub',
          '--no-color',
        ],
        io,
      );
      expect(exitCode).toBe(1);
      const results = Object.fromEntries(report!.rows.map((r) => [r.scenario, `${r.result} ${r.observed}`]));
      expect(results).toEqual({
        'invalid-iss': 'fail accepted',
        'alg-none': 'fail accepted',
        'authz-response-state-mismatch': 'fail accepted',
        'token-5xx': 'pass rejected',
        'no-expires-in': 'pass accepted',
        'refresh-invalid-sub': 'skip skipped',
      });
      const out = io.out();
      expect(out).toMatch(/✖ invalid-iss +must reject · SIGNED IN at http:\/\/localhost:\d+\/callback/);
      expect(out).toContain('a correct relying party: Reject the ID token: `iss` must be exactly the issuer');
      expect(out).toMatch(/✔ token-5xx +must reject · refused at .*: "Login failed \(500\)"/);
      expect(out).toContain('skipped: a refresh scenario: pass --rp-refresh-text');
      expect(out).toContain('2 passed, 3 failed, 1 skipped');
    } finally {
      await rp.close();
    }
  });
});

describe('options and unreachable services (exit 2, before any browser starts)', () => {
  const insightId = () => stack.clients.find((c) => c.profileId === 'insight-analytics')!.clientId;
  const rpFlags = () => ['--rp-login-url', `${stack.urls.clientApp}/login?profile=insight-analytics`, '--rp-success-text', 'signed in through'];

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it.each([
    ['no options', () => [], /--rp-login-url \(CONFORMANCE_RP_LOGIN_URL\): must be an absolute http\(s\) URL[\s\S]*--rp-success-text/],
    [
      'a login URL that is not a URL',
      () => ['--rp-login-url', 'localhost:3001', '--rp-success-text', 'x'],
      /--rp-login-url .*must be an absolute http\(s\) URL/,
    ],
    ['an unknown scenario', () => [...rpFlags(), '--scenarios', 'invalid-iss,not-a-scenario'], /unknown scenario "not-a-scenario"/],
    ['an unknown option', () => [...rpFlags(), '--rp-sucess-text', 'x'], /Unknown option --rp-sucess-text/],
  ])('%s', async (_what, argv, message) => {
    const io = capture();
    expect((await conformanceCommand(argv(), io)).exitCode).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('an emulator that is not running', async () => {
    const io = capture();
    const { exitCode } = await conformanceCommand([...rpFlags(), '--emulator-url', `http://localhost:${await closedPort()}`], io);
    expect(exitCode).toBe(2);
    expect(io.err()).toMatch(/The emulator at http:\/\/localhost:\d+ cannot be reached .*ECONNREFUSED.*Start it/);
  });

  it('wrong project credentials, or a client the project does not have', async () => {
    const wrongSecret = capture();
    expect((await conformanceCommand([...rpFlags(), ...emulatorFlags(insightId()), '--secret', 'secret-test-wrong-wrong-wrong'], wrongSecret)).exitCode).toBe(
      2,
    );
    expect(wrongSecret.err()).toContain(`refused project ${stack.project.projectId}: pass the emulator project's --project-id and --secret`);
    const unknownClient = capture();
    expect((await conformanceCommand([...rpFlags(), ...emulatorFlags('connected-app-test-nobody')], unknownClient)).exitCode).toBe(2);
    expect(unknownClient.err()).toContain('has no client connected-app-test-nobody');
  });

  it('a relying party that is not running', async () => {
    const io = capture();
    const { exitCode } = await conformanceCommand(
      ['--rp-login-url', `http://localhost:${await closedPort()}/login`, '--rp-success-text', 'x', ...emulatorFlags(insightId())],
      io,
    );
    expect(exitCode).toBe(2);
    expect(io.err()).toMatch(/The relying party at http:\/\/localhost:\d+ cannot be reached/);
  });
});
