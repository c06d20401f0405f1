/**
 * `npx connected-app conformance`, end to end: the demo stack in-process (startStack: emulator, auth-server,
 * client-app), Chromium driving real logins.
 * - Against the reference client-app, every row passes (hygiene and the whole catalogue).
 * - Against two relying parties nobody here tuned (fixtures/): a naive one and express + passport-openidconnect,
 *   each with its verdict table asserted row by row, on a scenario subset that covers every verdict rule
 *   (pass, fail, not exercised, session kept) to keep the run short.
 * - A baseline that does not sign in, or signs in with another client, stops the run with exit status 2; so do
 *   bad options and unreachable services, before any browser starts. Ctrl-C switches the fault off.
 * Each regression of issue 15 is named in a comment next to its assertion.
 *
 * `signing-key-rotation` waits until a minute has passed since the JWKS was last served; here the clock of
 * this process (the stack's and the client-app's, openid-client's JWKS cache included) moves on instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPerson, projectOf, type Person } from '../../../test/support/people.ts';
import { SCENARIOS } from '../../emulator/index.ts';
import { startStack, type Stack } from '../../stack.ts';
import type { ProviderProject } from '../../provider/clients.ts';
import { conformanceCommand, type ConformanceIo } from '../cli.ts';
import { HYGIENE_RULES } from '../findings.ts';
import { rowLines, summaryLine } from '../report/human.ts';
import type { ConformanceReport } from '../run.ts';
import { startNaiveRp } from './fixtures/naive-rp.ts';
import { startPassportRp } from './fixtures/passport-rp.ts';

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
        '--rp-protected-url',
        `${stack.urls.clientApp}/account`,
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
    expect(report.rows.filter((r) => r.kind === 'fault')).toHaveLength(SCENARIOS.length);
    expect(report.rows.filter((r) => r.kind === 'hygiene').map((r) => `${r.scenario} ${r.result}`)).toEqual(HYGIENE_RULES.map((h) => `${h.id} pass`));
    // The only row that cannot apply to a Consumer project; every fault was delivered.
    expect(report.rows.filter((r) => r.result === 'skip').map((r) => r.scenario)).toEqual(['b2b-access-token-no-organization']);
    expect(report.rows.filter((r) => r.result === 'not-exercised')).toEqual([]);
    // The rows that must be refused were refused by the client-app's error page, and the session ended.
    const refused = report.rows.filter((r) => r.expected === 'reject');
    for (const r of refused) {
      expect(r.detail, r.scenario).toMatch(/^refused: (4|5)\d\d at http:\/\/localhost:\d+\/(callback|refresh): "/);
      expect(r.session, r.scenario).toBe('ended');
    }
    // Key rotation ran last, after openid-client's refetch cooldown (the clock is moved on when the run has not
    // already taken that long: whether it must be depends on the machine's speed, so it is not asserted).
    expect(report.rows.at(-1)!.scenario).toBe('signing-key-rotation');
    const xml = readFileSync(junit, 'utf8');
    const rows = SCENARIOS.length + HYGIENE_RULES.length;
    expect(xml).toContain(`tests="${rows}" failures="0" skipped="1"`);
    expect(xml.match(/<testcase /g)).toHaveLength(rows);
  });
});

/** The stack's emulator as the provider a team points its own relying party at. */
const provider = (): ProviderProject => ({ url: stack.urls.stytch, projectId: stack.project.projectId, secret: stack.project.secret, projectType: 'consumer' });

/** Runs conformance with --json (and --junit); returns the exit code, the report, what went to stderr. */
async function runJson(argv: string[]): Promise<{ exitCode: number; report: ConformanceReport; junit: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
  const io = capture();
  const { exitCode } = await conformanceCommand([...argv, '--json', '--junit', join(dir, 'junit.xml'), '--artifacts', dir], io);
  expect(exitCode, io.err()).not.toBe(2);
  return { exitCode, report: JSON.parse(io.out()) as ConformanceReport, junit: readFileSync(join(dir, 'junit.xml'), 'utf8'), err: io.err() };
}

const verdicts = (report: ConformanceReport) =>
  Object.fromEntries(report.rows.map((r) => [r.scenario, `${r.result} ${r.observed}${r.session === 'kept' ? ' session-kept' : ''}`]));

describe('against a naive relying party (no checks, no nonce, no UserInfo, keeps its session after a refused refresh)', () => {
  it('gets the verdict it deserves, row by row, with not-exercised rows counted apart', { timeout: 90_000 }, async () => {
    const rp = await startNaiveRp(provider());
    try {
      const { exitCode, report, junit } = await runJson([
        '--rp-login-url',
        `${rp.url}/login`,
        '--rp-success-text',
        'Welcome back',
        '--rp-refresh-text',
        'Refresh tokens',
        ...emulatorFlags(rp.clientId),
        '--scenarios',
        'invalid-iss,nonce-invalid,userinfo-sub-mismatch,token-5xx,no-expires-in,refresh-invalid-sub',
      ]);
      expect(verdicts(report)).toEqual({
        'rp-sends-state': 'pass complied',
        // Regression: nonce-invalid and nonce-missing used to fail an RP that sends no nonce; the finding is this row.
        'rp-sends-nonce': 'fail did-not-comply',
        'rp-uses-pkce-s256': 'pass complied',
        'rp-redirect-uri-exact': 'pass complied',
        'invalid-iss': 'fail accepted',
        'nonce-invalid': 'not-exercised not-delivered',
        // Regression: a fault that was never delivered used to read "SIGNED IN ✖".
        'userinfo-sub-mismatch': 'not-exercised not-delivered',
        'token-5xx': 'pass rejected',
        'no-expires-in': 'pass accepted',
        // Regression: a refused refresh with the session kept used to pass.
        'refresh-invalid-sub': 'fail rejected session-kept',
      });
      expect(exitCode).toBe(1);
      const row = (name: string) => report.rows.find((r) => r.scenario === name)!;
      expect(row('userinfo-sub-mismatch').detail).toMatch(/^the relying party never called UserInfo/);
      expect(row('nonce-invalid').detail).toContain('sends no nonce (see rp-sends-nonce)');
      // What the relying party showed, and the emulator's 5xx during the row.
      expect(row('token-5xx').page).toMatchObject({ status: 502, heading: 'Login failed (500)', errorLine: 'server_error' });
      expect(row('token-5xx').emulator).toEqual(['token 500 server_error']);
      expect(row('refresh-invalid-sub').detail).toMatch(
        /^refused: 502 at http:\/\/localhost:\d+\/refresh: "Refresh refused" \(The new ID token is for someone else\.\); SESSION KEPT/,
      );
      // Failed rows keep a trace and a screenshot.
      for (const r of report.rows.filter((x) => x.kind === 'fault' && x.result === 'fail')) {
        expect(existsSync(r.artifacts!.trace), r.scenario).toBe(true);
        expect(existsSync(r.artifacts!.screenshot), r.scenario).toBe(true);
      }
      expect(report.summary).toMatchObject({ passed: 5, failed: 3, notExercised: 2, skipped: 0 });
      expect(junit).toContain('<property name="not-exercised" value="2"/>');
      expect(junit).toMatch(
        /<testcase [^>]*name="userinfo-sub-mismatch: must reject"[^>]*>\s*<skipped message="not exercised: the relying party never called UserInfo/,
      );
      const human = report.rows.flatMap((r) => rowLines(r, false)).join('\n');
      expect(human).toMatch(/○ userinfo-sub-mismatch +not exercised: the relying party never called UserInfo/);
      expect(human).toMatch(/✖ refresh-invalid-sub +must reject · REFUSED: .*SESSION KEPT/);
      expect(human).toMatch(/ {6}trace: .*refresh-invalid-sub\.trace\.zip/);
      expect(human).toContain('the emulator answered: token 500 server_error');
      expect(summaryLine(report, false)).toMatch(/^5 passed, 3 failed, 2 not exercised, 0 skipped in /);
    } finally {
      await rp.close();
    }
  });
});

describe('against express + passport-openidconnect', () => {
  it("gets the library's verdicts, row by row", { timeout: 90_000 }, async () => {
    const rp = await startPassportRp(provider());
    try {
      const { exitCode, report } = await runJson([
        '--rp-login-url',
        `${rp.url}/login`,
        '--rp-success-text',
        'Signed in as',
        ...emulatorFlags(rp.clientId),
        '--scenarios',
        'invalid-iss,invalid-aud,valid-aud-as-array-with-azp,nonce-invalid,alg-none,invalid-sig-rs256,userinfo-sub-mismatch,no-scope-in-token-response',
      ]);
      expect(verdicts(report)).toEqual({
        'rp-sends-state': 'pass complied',
        'rp-sends-nonce': 'pass complied',
        // passport-openidconnect 0.1 has no PKCE.
        'rp-uses-pkce-s256': 'fail did-not-comply',
        'rp-redirect-uri-exact': 'pass complied',
        'invalid-iss': 'pass rejected',
        'invalid-aud': 'pass rejected',
        'valid-aud-as-array-with-azp': 'pass accepted',
        'nonce-invalid': 'pass rejected',
        // It decodes the ID token without verifying its signature.
        'alg-none': 'fail accepted',
        'invalid-sig-rs256': 'fail accepted',
        // A three-argument verify() never loads the profile from UserInfo.
        'userinfo-sub-mismatch': 'not-exercised not-delivered',
        'no-scope-in-token-response': 'pass accepted',
      });
      expect(exitCode).toBe(1);
      expect(report.rows.find((r) => r.scenario === 'invalid-aud')!.page).toMatchObject({
        status: 401,
        heading: 'Sign-in failed',
        errorLine: 'ID token not intended for this relying party.',
      });
      expect(report.rows.filter((r) => r.expected === 'reject' && r.result === 'pass').every((r) => r.session === 'ended')).toBe(true);
    } finally {
      await rp.close();
    }
  });
});

describe('the baseline (exit 2 before any fault)', () => {
  it('a relying party with a wrong client secret: says what it showed and what the emulator saw', { timeout: 60_000 }, async () => {
    const rp = await startNaiveRp(provider(), { clientSecret: 'secret-test-wrong-wrong-wrong-wrong' });
    try {
      const io = capture();
      const { exitCode } = await conformanceCommand(
        [
          '--rp-login-url',
          `${rp.url}/login`,
          '--rp-success-text',
          'Welcome back',
          ...emulatorFlags(rp.clientId),
          '--scenarios',
          'alg-none,invalid-sig-rs256,typ-not-jwt',
          '--artifacts',
          mkdtempSync(join(tmpdir(), 'conformance-')),
        ],
        io,
      );
      // Regression: this broken RP used to "pass" every must-reject row, and exit 0.
      expect(exitCode).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toContain('The baseline login (no fault) did not sign in');
      expect(io.err()).toMatch(/relying party: the relying party answered 502 at http:\/\/localhost:\d+\/callback: "Login failed \(401\)"/);
      expect(io.err()).toContain('emulator: token request failed: invalid_client (401)');
      expect(io.err()).toMatch(/screenshot: .*0-baseline\.png/);
    } finally {
      await rp.close();
    }
  });

  it('a --client-id the relying party does not use: names the client that reached the emulator', { timeout: 60_000 }, async () => {
    const rp = await startNaiveRp(provider());
    try {
      const insight = stack.clients.find((c) => c.profileId === 'insight-analytics')!;
      const io = capture();
      const { exitCode } = await conformanceCommand(
        [
          '--rp-login-url',
          `${rp.url}/login`,
          '--rp-success-text',
          'Welcome back',
          ...emulatorFlags(insight.clientId),
          '--scenarios',
          'invalid-iss',
          '--artifacts',
          mkdtempSync(join(tmpdir(), 'conformance-')),
        ],
        io,
      );
      // Regression: faults used to go to the wrong client, and every row read "accepted".
      expect(exitCode).toBe(2);
      expect(io.err()).toContain(`reached the emulator as client ${rp.clientId}, not ${insight.clientId}`);
      expect(io.err()).toContain(`Pass --client-id ${rp.clientId}.`);
    } finally {
      await rp.close();
    }
  });
});

describe('Ctrl-C', () => {
  it('switches the fault off and exits 130 with a short message, no stack trace', { timeout: 90_000 }, async () => {
    const rp = await startNaiveRp(provider());
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('../../../bin/connected-app.js', import.meta.url)),
        'conformance',
        '--rp-login-url',
        `${rp.url}/login`,
        '--rp-success-text',
        'Welcome back',
        ...emulatorFlags(rp.clientId),
        '--scenarios',
        'token-slow',
        '--token-delay',
        '60000',
        '--artifacts',
        mkdtempSync(join(tmpdir(), 'conformance-')),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const faultsOf = async () =>
      (
        (await (
          await fetch(`${stack.urls.stytch}/emulator/clients/${rp.clientId}/faults`, {
            headers: { authorization: `Basic ${Buffer.from(`${stack.project.projectId}:${stack.project.secret}`).toString('base64')}` },
          })
        ).json()) as { scenarios: string[] }
      ).scenarios;
    try {
      // Wait until the fault is on (the relying party is stalled at its token request), then interrupt.
      for (let i = 0; i < 600 && !(await faultsOf()).includes('token-slow'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await faultsOf()).toEqual(['token-slow']);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain(`Interrupted: switching the faults off for client ${rp.clientId}… done.`);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(await faultsOf()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
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
    [
      'a browser that is not there',
      () => [...rpFlags(), '--browser', '/nonexistent/chromium'],
      /could not run: --browser \(CONFORMANCE_BROWSER\) is \/nonexistent\/chromium, but there is no executable there/,
    ],
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
