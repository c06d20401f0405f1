/**
 * One row per mistake teams make with a new Connected App, each against the emulator with a client created through
 * the real SDK: the exact ✖ line, what was seen, the fix, and which checks fail (one root cause, few ✖). No browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { statusLine } from '../report/human.ts';
import { createClient, failedIds, resultOf, runVerify, startTestProject, targetFor, type TestProject } from './harness.ts';

let project: TestProject;
let confidential: Awaited<ReturnType<typeof createClient>>;
let publicClient: Awaited<ReturnType<typeof createClient>>;
let firstParty: Awaited<ReturnType<typeof createClient>>;

beforeAll(async () => {
  project = await startTestProject();
  confidential = await createClient(project, { client_type: 'third_party' });
  publicClient = await createClient(project, { client_type: 'first_party_public' });
  firstParty = await createClient(project, { client_type: 'first_party' });
});
afterAll(async () => {
  await project?.close();
});

interface Row {
  mistake: string;
  target: () => Partial<Target>;
  /** The check whose ✖ line, seen and fix are asserted. */
  id: string;
  line: string;
  seen: string | RegExp;
  fix: string;
  /** Where in the Dashboard the fix is made; null when it is made in the app's own configuration. */
  where: keyof typeof DASHBOARD | null;
  /** Every check that fails, in pipeline order. */
  failed: string[];
}

const ROWS: Row[] = [
  {
    mistake: 'a Live client id with a Test project',
    target: () => ({ clientId: confidential.clientId.replace('-test-', '-live-'), clientSecret: confidential.clientSecret }),
    id: 'project.environment',
    line: '✖ [project.environment] Project, client and secrets belong to the same environment (Test or Live) (0 ms)',
    seen: 'project id is test, but client id is live',
    fix: 'Use the client id of the Test environment, or switch everything to Live. Clients and secrets exist in one environment only.',
    where: 'environment',
    failed: ['project.environment', 'client.exists', 'client.credentials'],
  },
  {
    mistake: 'a client id that does not exist in the project',
    target: () => ({ clientId: 'connected-app-test-00000000-0000-4000-8000-00000000dead', clientSecret: confidential.clientSecret }),
    id: 'client.exists',
    line: '✖ [client.exists] Client is registered in this project (0 ms)',
    seen: /^project project-test-\S+ has no Connected App connected-app-test-00000000-0000-4000-8000-00000000dead \(\w+\)$/,
    fix: "Copy the client id from the app's page in the Dashboard (Test and Live have different apps), or create the Connected App.",
    where: 'apps',
    failed: ['client.exists', 'client.credentials'],
  },
  {
    mistake: 'a wrong project secret',
    target: () => ({ clientId: confidential.clientId, clientSecret: confidential.clientSecret, secret: 'secret-test-NotTheProjectSecret_000000000000000000=' }),
    id: 'client.exists',
    line: '✖ [client.exists] Client is registered in this project (0 ms)',
    seen: 'the project id and secret were refused (401 unauthorized_credentials)',
    fix: 'STYTCH_SECRET must be a secret of project {PROJECT_ID}, from the same environment (Test or Live).',
    where: 'apiKeys',
    failed: ['client.exists'],
  },
  {
    mistake: 'a secret pasted into a public client',
    target: () => ({ clientId: publicClient.clientId, clientSecret: confidential.clientSecret }),
    id: 'client.type',
    line: '✖ [client.type] Client type matches the presence of a secret (0 ms)',
    seen: 'first_party_public is a public client, but a client secret is configured',
    fix: 'Remove OIDC_CLIENT_SECRET and authenticate with "none" plus PKCE. If the app runs on a server and can keep a secret, create a confidential (first_party or third_party) app instead.',
    where: 'app',
    failed: ['client.type', 'client.auth-method', 'client.credentials'],
  },
  {
    mistake: 'a confidential client without its secret',
    target: () => ({ clientId: confidential.clientId }),
    id: 'client.type',
    line: '✖ [client.type] Client type matches the presence of a secret (0 ms)',
    seen: 'third_party is a confidential client, but no client secret is configured',
    fix: "Set OIDC_CLIENT_SECRET to the app's secret (shown once, when it was created; rotate it to get a new one). If the app cannot keep a secret (browser, mobile, CLI, MCP), create a *_public app instead.",
    where: 'clientSecret',
    failed: ['client.type', 'client.auth-method', 'client.credentials'],
  },
  {
    mistake: 'a client created with the wrong type',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      expectedClientType: 'first_party',
    }),
    id: 'client.type',
    line: '✖ [client.type] Client type matches the presence of a secret (0 ms)',
    seen: 'registered as third_party, but you expected first_party',
    fix: 'The type of a Connected App cannot be changed: create a new first_party app and use its client id (and secret).',
    where: 'apps',
    failed: ['client.type'],
  },
  {
    mistake: 'the secret of another client (or an old rotation)',
    target: () => ({ clientId: confidential.clientId, clientSecret: `${confidential.clientSecret!.slice(0, -4)}WXYZ`, authMethod: 'client_secret_basic' }),
    id: 'client.type',
    line: '✖ [client.type] Client type matches the presence of a secret (0 ms)',
    seen: /^third_party; the configured secret ends in …WXYZ, the app's secret ends in …\S{4}$/,
    fix: 'Copy the current secret of this app (or rotate it to get a new one): the configured one belongs to another app or an old rotation.',
    where: 'clientSecret',
    failed: ['client.type', 'client.credentials'],
  },
  {
    mistake: 'a wrong client secret (checked without the project secret: at the token endpoint only)',
    target: () => ({
      secret: undefined,
      clientId: confidential.clientId,
      clientSecret: `${confidential.clientSecret!.slice(0, -4)}WXYZ`,
      authMethod: 'client_secret_basic',
    }),
    id: 'client.credentials',
    line: '✖ [client.credentials] Client credentials are accepted by the token endpoint (0 ms)',
    seen: /^client_secret_basic: the token endpoint answered 401 invalid_client( \(.+\))?$/,
    fix: "The client id or the secret is wrong: copy both from the app's page (rotate the secret if it is lost), and check the environment (Test / Live).",
    where: 'clientSecret',
    failed: ['client.credentials'],
  },
  {
    mistake: 'a public client configured with client_secret_basic',
    target: () => ({ clientId: publicClient.clientId, authMethod: 'client_secret_basic' }),
    id: 'client.auth-method',
    line: '✖ [client.auth-method] Token endpoint authentication method fits the client type (0 ms)',
    seen: 'first_party_public authenticating with client_secret_basic',
    fix: 'Public clients have no secret: set OIDC_TOKEN_ENDPOINT_AUTH_METHOD=none, remove OIDC_CLIENT_SECRET, and use PKCE (openid-client: client.None()).',
    where: 'app',
    failed: ['client.auth-method', 'client.credentials'],
  },
  {
    mistake: 'a confidential client configured with "none"',
    target: () => ({ clientId: confidential.clientId, clientSecret: confidential.clientSecret, authMethod: 'none' }),
    id: 'client.auth-method',
    line: '✖ [client.auth-method] Token endpoint authentication method fits the client type (0 ms)',
    seen: 'third_party authenticating with "none"',
    fix: 'Confidential clients must send their secret: set OIDC_TOKEN_ENDPOINT_AUTH_METHOD=client_secret_basic (or client_secret_post) and OIDC_CLIENT_SECRET.',
    where: 'clientSecret',
    failed: ['client.auth-method', 'client.credentials'],
  },
  {
    mistake: 'a redirect_uri with a trailing slash',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      redirectUri: `${confidential.redirectUri}/`,
    }),
    id: 'client.redirect-uri',
    line: '✖ [client.redirect-uri] redirect_uri is registered exactly (0 ms)',
    seen: '"{REDIRECT}/" is not registered; closest registered: "{REDIRECT}" (a trailing slash that the registered one does not have)',
    fix: "Add {REDIRECT}/ to the app's Redirect URLs exactly as your app sends it, or make your app send {REDIRECT}.",
    where: 'redirectUrls',
    failed: ['client.redirect-uri'],
  },
  {
    mistake: 'a redirect_uri on 127.0.0.1 where localhost is registered',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      redirectUri: confidential.redirectUri.replace('localhost', '127.0.0.1'),
    }),
    id: 'client.redirect-uri',
    line: '✖ [client.redirect-uri] redirect_uri is registered exactly (0 ms)',
    seen: /is not registered; closest registered: "http:\/\/localhost:\d+\/callback" \(host 127\.0\.0\.1 instead of localhost \(both are this machine, but they are different strings\)\)$/,
    fix: "Add http://127.0.0.1:3001/callback to the app's Redirect URLs exactly as your app sends it, or make your app send http://localhost:3001/callback.",
    where: 'redirectUrls',
    failed: ['client.redirect-uri'],
  },
  {
    mistake: 'a scope that the project does not define',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'email', 'read:everything'],
    }),
    id: 'client.scopes',
    line: '✖ [client.scopes] Requested scopes are allowed (offline_access when refresh is expected) (0 ms)',
    seen: /^"read:everything" is not a scope of this project \(scopes_supported: openid .*\)$/,
    fix: "Remove read:everything from OIDC_SCOPES, or define it as custom scopes in the project's RBAC policy.",
    where: 'scopes',
    failed: ['client.scopes'],
  },
  {
    mistake: 'refresh tokens expected without offline_access',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'email'],
      expectRefresh: true,
    }),
    id: 'client.scopes',
    line: '✖ [client.scopes] Requested scopes are allowed (offline_access when refresh is expected) (0 ms)',
    seen: 'refresh tokens are expected, but "openid email" has no offline_access',
    fix: 'Add offline_access to OIDC_SCOPES: Stytch issues a refresh token only for it.',
    where: null,
    failed: ['client.scopes'],
  },
  {
    mistake: 'full_access requested by a third-party app',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'full_access'],
    }),
    id: 'client.scopes',
    line: '✖ [client.scopes] Requested scopes are allowed (offline_access when refresh is expected) (0 ms)',
    seen: 'full_access requested by a third_party app',
    fix: 'full_access is for first-party apps only: remove it from OIDC_SCOPES.',
    where: 'appAccess',
    failed: ['client.scopes'],
  },
  {
    mistake: 'full_access requested by a first-party app that is not allowed it',
    target: () => ({
      clientId: firstParty.clientId,
      clientSecret: firstParty.clientSecret,
      authMethod: 'client_secret_basic',
      scopes: ['openid', 'full_access'],
    }),
    id: 'client.scopes',
    line: '✖ [client.scopes] Requested scopes are allowed (offline_access when refresh is expected) (0 ms)',
    seen: 'full_access requested, but the app is not allowed full access',
    fix: 'Allow full access for this app, or remove full_access from OIDC_SCOPES.',
    where: 'appAccess',
    failed: ['client.scopes'],
  },
  {
    mistake: 'an issuer with a trailing slash',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      issuer: `${project.apiUrl}/`,
    }),
    id: 'discovery.issuer',
    line: '✖ [discovery.issuer] Issuer is the project domain and matches the configured one exactly (0 ms)',
    seen: 'configured issuer "{ISSUER}/" ≠ "{ISSUER}": a trailing slash that the issuer does not have',
    fix: 'Set OIDC_ISSUER to exactly {ISSUER} (openid-client compares the issuer as a string, and so does the iss check of every token).',
    where: 'projectDomain',
    failed: ['discovery.issuer'],
  },
  {
    mistake: 'an issuer on 127.0.0.1 where the project says localhost',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      issuer: project.apiUrl.replace('localhost', '127.0.0.1'),
    }),
    id: 'discovery.issuer',
    line: '✖ [discovery.issuer] Issuer is the project domain and matches the configured one exactly (0 ms)',
    seen: /≠ "http:\/\/localhost:\d+": host 127\.0\.0\.1 instead of localhost \(both are this machine, but they are different strings\)$/,
    fix: 'Set OIDC_ISSUER to exactly {ISSUER} (openid-client compares the issuer as a string, and so does the iss check of every token).',
    where: 'projectDomain',
    failed: ['discovery.issuer'],
  },
  {
    mistake: 'the legacy stytch.com/{project_id} issuer',
    target: () => ({
      clientId: confidential.clientId,
      clientSecret: confidential.clientSecret,
      authMethod: 'client_secret_basic',
      issuer: `stytch.com/${project.projectId}`,
    }),
    id: 'discovery.issuer',
    line: '✖ [discovery.issuer] Issuer is the project domain and matches the configured one exactly (0 ms)',
    seen: 'configured issuer "stytch.com/{PROJECT_ID}" ≠ "{ISSUER}": "stytch.com/{PROJECT_ID}" is the issuer Stytch uses when called through test.stytch.com or api.stytch.com; tokens from the project domain say "{ISSUER}"',
    fix: 'Set OIDC_ISSUER to exactly {ISSUER} (openid-client compares the issuer as a string, and so does the iss check of every token).',
    where: 'projectDomain',
    failed: ['discovery.issuer'],
  },
  {
    // The demo project has DCR on, as MCP clients need it.
    mistake: 'dynamic client registration expected off, but on',
    target: () => ({ clientId: confidential.clientId, clientSecret: confidential.clientSecret, authMethod: 'client_secret_basic', expectDcr: false }),
    id: 'mcp.dcr',
    line: '✖ [mcp.dcr] Dynamic client registration is on or off, as expected (0 ms)',
    seen: 'dynamic client registration is on ({ISSUER}/v1/oauth2/register), but it is expected off',
    fix: 'Turn off Dynamic Client Registration: while it is on, anyone can register a third-party app in this project.',
    where: 'dcr',
    failed: ['mcp.dcr'],
  },
];

/** Fills the placeholders of a row's text with this run's values (ports and ids are decided at start). */
function fill(text: string): string {
  return text
    .replaceAll('{PROJECT_ID}', project.projectId)
    .replaceAll('{ISSUER}', project.apiUrl)
    .replaceAll('{REDIRECT}', confidential.redirectUri)
    .replaceAll('http://localhost:3001', project.clientAppUrl)
    .replaceAll('http://127.0.0.1:3001', project.clientAppUrl.replace('localhost', '127.0.0.1'));
}

describe('verify: one misconfiguration per row, against the emulator (no browser)', () => {
  it.each(ROWS)('$mistake → ✖ $id', async (row) => {
    const report = await runVerify(targetFor(project, row.target()));
    const result = resultOf(report, row.id);
    expect(statusLine({ ...result, durationMs: 0 })).toBe(row.line);
    if (typeof row.seen === 'string') expect(result.seen).toBe(fill(row.seen));
    else expect(result.seen).toMatch(row.seen);
    expect(result.fix).toBe(fill(row.fix));
    expect(result.where ?? null).toEqual(row.where ? DASHBOARD[row.where] : null);
    expect(failedIds(report)).toEqual(row.failed);
    expect(report.ok).toBe(false);
  });

  it('a correct configuration passes every check that runs without a browser', async () => {
    const report = await runVerify(
      targetFor(project, {
        clientId: confidential.clientId,
        clientSecret: confidential.clientSecret,
        authMethod: 'client_secret_basic',
        expectRefresh: true,
        expectDcr: true,
      }),
    );
    expect(
      report.results.filter((r) => r.status !== 'pass' && !r.id.startsWith('login.') && !r.id.startsWith('mcp-server.')).map((r) => `${r.id}: ${r.seen}`),
    ).toEqual([]);
    expect(report.results.filter((r) => r.id.startsWith('login.')).map((r) => r.status)).toEqual(Array(7).fill('skip'));
    // No --mcp-server-url: the MCP server checks say so and do not run.
    expect(report.results.filter((r) => r.id.startsWith('mcp-server.')).map((r) => r.status)).toEqual(Array(4).fill('skip'));
    expect(report.ok).toBe(true);
  });

  it('a CLI agent on a random loopback port matches a port-less 127.0.0.1 registration (RFC 8252 §7.3), as Stytch does', async () => {
    const cli = await createClient(project, { client_type: 'first_party_public', redirect_urls: ['http://127.0.0.1/callback'] });
    const report = await runVerify(targetFor(project, { clientId: cli.clientId, authMethod: 'none', redirectUri: 'http://127.0.0.1:53682/callback' }));
    expect(resultOf(report, 'client.redirect-uri')).toMatchObject({
      status: 'pass',
      seen: '"http://127.0.0.1:53682/callback" matches the port-less loopback registration "http://127.0.0.1/callback" (any port, RFC 8252 §7.3)',
    });
    // The path is still matched exactly, and localhost gets no wildcard (a guess, the emulator's default).
    for (const redirectUri of ['http://127.0.0.1:53682/other', 'http://localhost:53682/callback']) {
      const refused = await runVerify(targetFor(project, { clientId: cli.clientId, authMethod: 'none', redirectUri }));
      expect(resultOf(refused, 'client.redirect-uri').status, redirectUri).toBe('fail');
    }
  });

  it('a public client with PKCE only passes the credential check (invalid_grant, not invalid_client)', async () => {
    const report = await runVerify(targetFor(project, { clientId: publicClient.clientId, authMethod: 'none' }));
    expect(resultOf(report, 'client.credentials')).toMatchObject({
      status: 'pass',
      seen: 'none: a made-up code was refused with invalid_grant, so the client was authenticated',
    });
    expect(failedIds(report)).toEqual([]);
  });

  it("warns, without failing, when the auth method is left to openid-client's default", async () => {
    const report = await runVerify(targetFor(project, { clientId: confidential.clientId, clientSecret: confidential.clientSecret }));
    expect(resultOf(report, 'client.auth-method')).toMatchObject({
      status: 'warn',
      seen: 'not configured, so openid-client v6 uses client_secret_post (its default for a bare secret in discovery())',
    });
    expect(report.ok).toBe(true);
  });

  it('without the project secret, registration checks are skipped and say which input turns them on', async () => {
    const report = await runVerify(
      targetFor(project, { secret: undefined, clientId: confidential.clientId, clientSecret: confidential.clientSecret, authMethod: 'client_secret_basic' }),
    );
    expect(resultOf(report, 'client.exists')).toMatchObject({
      status: 'skip',
      seen: 'not checked: reading the registration needs the project id and secret',
      fix: 'Set STYTCH_PROJECT_ID and STYTCH_SECRET (--project-id, --secret) to check the client type, redirect URIs and secret.',
    });
    expect(resultOf(report, 'client.redirect-uri')).toMatchObject({ status: 'skip', seen: 'not run: needs client.exists (not run)' });
    expect(resultOf(report, 'client.credentials').status).toBe('pass');
    expect(report.ok).toBe(true);
  });
});
