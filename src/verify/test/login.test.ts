/**
 * The live login in headless Chromium (src/chromium/resolve.ts finds it): few tests, since each costs seconds.
 * A correct configuration end to end (Consumer and B2B, as `npx connected-app verify` runs with no options), a test
 * user whose password is wrong, and a provider whose refreshed ID token names another person (emulator fault).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPort } from '../../shared/http.ts';
import { startLocalProject } from '../local.ts';
import { verifyCommand } from '../cli.ts';
import { projectAuth } from '../context.ts';
import { statusLine } from '../report/human.ts';
import { captureIo as capture, createClient, failedIds, resultOf, runVerify, startTestProject, targetFor, type TestProject } from './harness.ts';

describe('verify with no project: starts the local emulator and logs in for real', () => {
  it.each(['consumer', 'b2b'])('%s: every check passes, each login step timed, exit 0', async (projectType) => {
    const io = capture();
    const { exitCode } = await verifyCommand(
      ['--json', '--project-type', projectType, '--auth-method', 'client_secret_basic', '--expect-refresh', 'true', '--expect-dcr', 'true'],
      io,
    );
    const report = JSON.parse(io.out());
    expect(report.checks.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string; seen: string }) => `${c.id}: ${c.seen}`)).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.target.mode).toBe('emulator');
    expect(report.target.note).toMatch(new RegExp(`^No project given: started a local ${projectType} emulator at http://localhost:\\d+ \\(demo seed\\)`));
    const browser = report.checks.find((c: { id: string }) => c.id === 'login.browser');
    expect(browser.details.steps.map((s: { step: string }) => s.step)).toEqual([
      'start headless Chromium',
      'open the Authorization URL',
      'log in',
      'accept consent',
    ]);
    for (const step of browser.details.steps) expect(step.ms).toBeTypeOf('number');
    // The progress indication on stderr (not a terminal: one line per browser step).
    expect(io.err()).toContain('… live login: log in\n');
    expect(io.out()).not.toMatch(/eyJ[\w-]{20,}\.[\w-]{20,}/); // no JWT in full
  });
});

describe('live login failures', () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await startTestProject();
  });
  afterAll(async () => {
    await project?.close();
  });

  it('a wrong test-user password: ✖ login.browser with what the login page said', async () => {
    const client = await createClient(project, { client_type: 'third_party' });
    const report = await runVerify(
      targetFor(project, { ...client, authMethod: 'client_secret_basic', login: true, user: { ...project.demoUser, password: 'not-the-password' } }),
    );
    const result = resultOf(report, 'login.browser');
    expect(statusLine({ ...result, durationMs: 0 })).toBe(
      '✖ [login.browser] Live login in headless Chromium through the Authorization URL (consent accepted) (0 ms)',
    );
    expect(result.seen).toMatch(/^the login form came back after signing in at http:\/\/localhost:\d+\/login \(".*"\): .+/);
    expect(result.fix).toBe(
      'The test user could not sign in: check VERIFY_USER_EMAIL / VERIFY_USER_PASSWORD (and VERIFY_ORGANIZATION for B2B) against a user of this project and environment.',
    );
    expect(result.details).toMatchObject({ code: 'ERR_LOGIN_REJECTED' });
    expect(failedIds(report)).toEqual(['login.browser']);
    expect(report.results.filter((r) => r.id.startsWith('login.') && r.id !== 'login.browser').map((r) => r.status)).toEqual(Array(6).fill('skip'));
  });

  it('a public client whose refreshed ID token names another person: ✖ login.refresh (openid-client does not compare)', async () => {
    const client = await createClient(project, { client_type: 'first_party_public' });
    const fault = await fetch(`${project.apiUrl}/emulator/clients/${client.clientId}/faults`, {
      method: 'PUT',
      headers: { authorization: projectAuth(project.projectId, project.secret), 'content-type': 'application/json' },
      body: JSON.stringify({ scenarios: ['refresh-invalid-sub'] }),
    });
    expect(fault.status).toBe(200);
    const report = await runVerify(targetFor(project, { ...client, authMethod: 'none', login: true, user: project.demoUser }));
    const result = resultOf(report, 'login.refresh');
    expect(statusLine({ ...result, durationMs: 0 })).toBe('✖ [login.refresh] Refresh token grant (0 ms)');
    expect(result.seen).toBe('the refreshed ID token changed sub');
    expect(result.fix).toBe('A refreshed ID token must name the same issuer, person and client (OIDC Core §12.2).');
    expect(failedIds(report)).toEqual(['login.refresh']);
    // Everything before it passed: the public client logged in with PKCE only.
    for (const id of ['login.browser', 'login.authorization-response', 'login.code-exchange', 'login.id-token', 'login.userinfo']) {
      expect(resultOf(report, id).status).toBe('pass');
    }
  });
});

describe('verify next to a running demo', () => {
  it('regression: a Connected App listening on the redirect_uri port never sees the callback, and the login passes', async () => {
    // Stands in for `npm start`'s client-app on the redirect URI's port; it was the one catching the redirect.
    const seen: string[] = [];
    const demo = await bindPort(0, 'localhost');
    demo.attach((req, res) => {
      seen.push(req.url ?? '');
      res.end('No login in progress for this browser');
    });
    const local = await startLocalProject('consumer', { seedUrls: { authServerUrl: 'http://localhost:1', clientAppUrl: demo.url } });
    try {
      const client = local.seed.clients.find((c) => c.client_type === 'third_party')!;
      const report = await runVerify(
        targetFor(local, {
          mode: 'emulator',
          clientId: client.client_id,
          clientSecret: client.client_secret,
          redirectUri: client.redirect_urls[0]!,
          login: true,
          user: local.demoUser,
        }),
      );
      expect(report.results.filter((r) => r.id.startsWith('login.') && r.status !== 'pass').map((r) => `${r.id}: ${r.seen}`)).toEqual([]);
      expect(seen.filter((url) => url.startsWith('/callback'))).toEqual([]);
    } finally {
      await local.close();
      await demo.close();
    }
  });
});
