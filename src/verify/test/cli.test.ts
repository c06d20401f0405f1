/**
 * The command as people and CI run it: options and environment, exit codes (0 all required pass, 1 one fails,
 * 2 could not start), the JSON shape, the JUnit file, the human report, and no secret printed in full. No browser
 * (`--no-login`); the live login is covered in login.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand } from '../cli.ts';
import { captureIo as capture, createClient, startTestProject, type TestProject } from './harness.ts';

let project: TestProject;
let client: Awaited<ReturnType<typeof createClient>>;

beforeAll(async () => {
  project = await startTestProject();
  client = await createClient(project, { client_type: 'third_party' });
});
afterAll(async () => {
  await project?.close();
});

const projectEnv = () => ({
  STYTCH_PROJECT_ID: project.projectId,
  STYTCH_SECRET: project.secret,
  STYTCH_API_URL: project.apiUrl,
  OIDC_CLIENT_ID: client.clientId,
  OIDC_CLIENT_SECRET: client.clientSecret!,
  OIDC_REDIRECT_URI: client.redirectUri,
  OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'client_secret_basic',
});

describe('npx connected-app verify', () => {
  it('--json: exit 0 and the documented shape when the configuration is right', async () => {
    const io = capture(projectEnv());
    const { exitCode } = await verifyCommand(['--json', '--no-login'], io);
    expect(exitCode).toBe(0);
    const report = JSON.parse(io.out());
    expect(Object.keys(report)).toEqual(['version', 'ok', 'exitCode', 'target', 'summary', 'checks']);
    expect(report).toMatchObject({
      version: 1,
      ok: true,
      exitCode: 0,
      target: {
        mode: 'project',
        issuer: project.apiUrl,
        projectId: project.projectId,
        clientId: client.clientId,
        redirectUri: client.redirectUri,
        scopes: ['openid', 'email', 'profile', 'offline_access'],
      },
      summary: { failed: 0, requiredFailed: 0 },
    });
    expect(report.checks.length).toBeGreaterThanOrEqual(15);
    for (const check of report.checks) {
      expect(Object.keys(check)).toEqual(['id', 'title', 'required', 'status', 'seen', 'fix', 'where', 'durationMs', 'details']);
      expect(['pass', 'fail', 'warn', 'skip']).toContain(check.status);
    }
    expect(report.checks.find((c: { id: string }) => c.id === 'login.browser')).toMatchObject({ status: 'skip', seen: 'not run: --no-login' });
  });

  it('--json: exit 1 with the failing check, its fix and where to make it', async () => {
    const io = capture({ ...projectEnv(), OIDC_REDIRECT_URI: `${client.redirectUri}/` });
    const { exitCode } = await verifyCommand(['--json', '--no-login'], io);
    expect(exitCode).toBe(1);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ ok: false, exitCode: 1, summary: { failed: 1, requiredFailed: 1 } });
    expect(report.checks.find((c: { id: string }) => c.id === 'client.redirect-uri')).toMatchObject({
      status: 'fail',
      required: true,
      seen: `"${client.redirectUri}/" is not registered; closest registered: "${client.redirectUri}" (a trailing slash that the registered one does not have)`,
      fix: `Add ${client.redirectUri}/ to the app's Redirect URLs exactly as your app sends it, or make your app send ${client.redirectUri}.`,
      where: { path: 'Connected Apps › <your app> › Redirect URLs', url: 'https://stytch.com/dashboard/connected-apps' },
      details: { redirect_uri: `${client.redirectUri}/`, registered: [client.redirectUri], closest: client.redirectUri },
    });
  });

  it('human output: one line per check, the ✖ line with seen, fix and where, and the verdict', async () => {
    const io = capture(projectEnv());
    const { exitCode } = await verifyCommand(['--no-login', '--redirect-uri', client.redirectUri.replace('/callback', '/Callback')], io);
    expect(exitCode).toBe(1);
    const lines = io
      .out()
      .replace(/\(\d+ ms\)/g, '(N ms)')
      .split('\n');
    const at = lines.indexOf('✖ [client.redirect-uri] redirect_uri is registered exactly (N ms)');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      `    "${client.redirectUri.replace('/callback', '/Callback')}" is not registered; closest registered: "${client.redirectUri}" (path case: /Callback instead of /callback)`,
      `    fix: Add ${client.redirectUri.replace('/callback', '/Callback')} to the app's Redirect URLs exactly as your app sends it, or make your app send ${client.redirectUri}.`,
      '    where: Stytch Dashboard › Connected Apps › <your app> › Redirect URLs (https://stytch.com/dashboard/connected-apps)',
    ]);
    expect(lines).toContain('✔ [client.credentials] Client credentials are accepted by the token endpoint (N ms)');
    expect(lines.at(-2)).toMatch(/^NOT OK: 1 required check failed · \d+ passed, 1 failed, \d+ warnings?, \d+ skipped · [\d.]+ s$/);
    expect(io.out()).not.toContain('\x1b['); // no colour when not a terminal
  });

  it('--junit writes one test case per check; only required failures are <failure>', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'verify-junit-')), 'verify.xml');
    const io = capture({ ...projectEnv(), OIDC_SCOPES: 'openid read:everything' });
    const { exitCode, report } = await verifyCommand(['--no-login', '--junit', file], io);
    expect(exitCode).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(report!.results.length);
    expect(xml).toContain('<testsuites name="connected-app verify"');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(
      /<testcase classname="connected-app verify\.Connected App registration and credentials" name="client\.scopes: Requested scopes are allowed \(offline_access when refresh is expected\)" time="[\d.]+">\n {6}<failure message="&quot;read:everything&quot; is not a scope of this project/,
    );
    expect(xml).toContain('<skipped message="not run: pointless until client.scopes passes (✖)"/>');
  });

  it('never prints the project secret, the client secret or a password in full', async () => {
    const io = capture({ ...projectEnv(), VERIFY_USER_EMAIL: 'ada@example.com', VERIFY_USER_PASSWORD: 'correct-horse-battery-staple' });
    await verifyCommand(['--json', '--no-login'], io);
    const human = capture({ ...projectEnv(), OIDC_CLIENT_SECRET: `${client.clientSecret!.slice(0, -4)}WXYZ` });
    await verifyCommand(['--no-login'], human);
    for (const text of [io.out(), io.err(), human.out(), human.err()]) {
      expect(text).not.toContain(project.secret);
      expect(text).not.toContain(client.clientSecret!.slice(0, -4));
      expect(text).not.toContain('correct-horse-battery-staple');
    }
  });

  it.each([
    [['--client-id'], '--client-id needs a value.'],
    [['--bogus'], 'Unknown option --bogus. See --help.'],
    [['--project-id', 'project-test-x'], 'OIDC_CLIENT_ID (--client-id) and OIDC_REDIRECT_URI (--redirect-uri) are required to check a project'],
    // The live login would run (the emulator's demo user), and the browser is not there: stop before anything starts.
    [['--browser', '/nonexistent/chromium'], 'verify could not start: --browser (VERIFY_BROWSER) is /nonexistent/chromium, but there is no executable there'],
  ])('exit 2 when verify cannot start: %j', async (argv, message) => {
    const io = capture({});
    const { exitCode } = await verifyCommand(argv, io);
    expect(exitCode).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('--help lists every option with its environment variable', async () => {
    const io = capture({});
    expect((await verifyCommand(['--help'], io)).exitCode).toBe(0);
    expect(io.out()).toMatch(/--client-id VALUE\s+OIDC_CLIENT_ID\s+the Connected App's client id/);
    expect(io.out()).toMatch(/--json\s+VERIFY_JSON\s+print the report as JSON on stdout/);
  });
});
