/**
 * The client-app against the local Stytch emulator, with codes minted through the real auth-server (its login
 * and consent pages, which call Stytch's IDP authorize API through the `stytch` SDK): both demo profiles end to
 * end, then the relying-party rules and the emulator's fault-injection switches, each of which must end on the
 * error page with nobody signed in.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Browser, errorKey } from '../../test/support/browser.ts';
import { authorizeViaAuthServer, startEmulatorStack, type EmulatorStack } from './helpers/emulator-stack.ts';

let stack: EmulatorStack;
beforeAll(async () => {
  stack = await startEmulatorStack();
});
afterAll(async () => {
  await stack?.close();
});
afterEach(async () => {
  stack.tap.reset();
  await stack.setFaults(stack.clientIds['insight-analytics']!, []);
});

async function isSignedIn(browser: Browser): Promise<boolean> {
  return (await browser.get(`${stack.clientAppUrl}/account`)).status === 200;
}

async function csrf(browser: Browser): Promise<string> {
  const page = await browser.get(`${stack.clientAppUrl}/account`);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
  if (!match) throw new Error(`no csrf token on /account (${page.status})`);
  return match[1]!;
}

function credentials(profile: string): { clientId: string; secret?: string } {
  const client = stack.seed.clients.find((c) => c.client_id === stack.clientIds[profile]);
  return { clientId: client!.client_id, secret: client!.client_secret };
}

/** Calls an OAuth endpoint of the emulator directly, as whoever holds a leaked token would. */
async function callAsClient(profile: string, path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const { clientId, secret } = credentials(profile);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(form);
  if (secret) headers.authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
  else body.set('client_id', clientId);
  const res = await fetch(`${stack.emulator.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function signIn(browser: Browser, profile: string): Promise<string> {
  const callback = await authorizeViaAuthServer(stack, browser, profile);
  const done = await browser.get(callback);
  expect(done.status, done.body.slice(0, 3000)).toBe(303);
  expect(done.redirect).toBe(`${stack.clientAppUrl}/account`);
  return callback;
}

describe('demo profiles against the emulator, codes minted through the real auth-server', () => {
  it.each([
    ['insight-analytics', 'confidential third-party client'],
    ['acme-mobile', 'public first-party client'],
  ])('%s (%s): login, userinfo, refresh, logout with revocation', async (profile) => {
    const browser = new Browser();
    await signIn(browser, profile);
    // Both apps run on localhost: each keeps its own cookie in the shared jar.
    expect(browser.cookie('client_sid', 'http://localhost')).toBeDefined();
    expect(browser.cookie('auth_sid', 'http://localhost')).toBeDefined();
    const login = stack.tap.tokenResponses[0] as { access_token: string; refresh_token?: string };
    expect(login.refresh_token).toBeTruthy();

    const account = await browser.get(`${stack.clientAppUrl}/account`);
    expect(account.body).toContain('Ada Lovelace');
    expect(account.body).toContain('ada@example.com');
    // Insight Analytics also asks for a custom RBAC scope of the project.
    if (profile === 'insight-analytics') expect(account.body).toContain('read:reports');
    const inspector = await browser.get(`${stack.clientAppUrl}/inspector`);
    expect(inspector.body).toContain('ID token validated');
    expect(inspector.body).not.toMatch(/chip-fail/);
    expect(inspector.body).not.toContain(login.access_token);

    expect((await browser.post(`${stack.clientAppUrl}/userinfo`, { _csrf: await csrf(browser) })).status).toBe(303);
    const refreshed = await browser.post(`${stack.clientAppUrl}/refresh`, { _csrf: await csrf(browser) });
    expect(refreshed.status, refreshed.body.slice(0, 3000)).toBe(303);
    const refresh = stack.tap.tokenResponses[1] as { access_token: string; refresh_token?: string };
    // Stytch rotates refresh tokens of public clients only.
    if (profile === 'acme-mobile') expect(refresh.refresh_token).not.toBe(login.refresh_token);
    const current = refresh.refresh_token ?? login.refresh_token!;

    const out = await browser.post(`${stack.clientAppUrl}/logout`, { _csrf: await csrf(browser) });
    expect(out.status).toBe(303);
    expect(out.redirect).toBe(`${stack.clientAppUrl}/?signed_out=revoked`);
    expect(await isSignedIn(browser)).toBe(false);
    // The revoked refresh token no longer works, and the access token is no longer active.
    expect(await callAsClient(profile, '/v1/oauth2/token', { grant_type: 'refresh_token', refresh_token: current })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await callAsClient(profile, '/v1/oauth2/introspect', { token: refresh.access_token })).body.active).toBe(false);
  });
});

interface Row {
  rule: string;
  expected: string;
  status: number;
  /** Emulator fault scenarios for the Insight Analytics client. */
  faults?: string[];
  params?: Record<string, number>;
  profile?: string;
  decision?: 'deny';
  tamperCallback?: (url: URL) => void;
  arrange?: () => void;
  tokenRequest: boolean;
  failedCheck?: string;
}

const REJECTIONS: Row[] = [
  { rule: 'state mismatch', expected: 'ERR_STATE_MISMATCH', status: 400, tokenRequest: false, tamperCallback: (u) => u.searchParams.set('state', 'forged') },
  { rule: 'error=access_denied (Deny on the consent page)', expected: 'access_denied', status: 403, tokenRequest: false, decision: 'deny' },
  { rule: 'wrong client secret', expected: 'invalid_client', status: 502, tokenRequest: true, profile: 'wrong-secret' },
  {
    rule: 'PKCE verifier mismatch',
    expected: 'invalid_grant',
    status: 400,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteRequest = (_u, body) => body.has('code_verifier') && body.set('code_verifier', 'A'.repeat(64))),
  },
  {
    rule: 'fault invalid-sig-rs256 (bad signature)',
    faults: ['invalid-sig-rs256'],
    expected: 'OAUTH_INVALID_RESPONSE:signature',
    status: 502,
    tokenRequest: true,
    failedCheck: 'signature',
  },
  {
    rule: 'fault invalid-iss',
    faults: ['invalid-iss'],
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss',
    status: 502,
    tokenRequest: true,
    failedCheck: 'iss',
  },
  {
    rule: 'fault invalid-aud',
    faults: ['invalid-aud'],
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud',
    status: 502,
    tokenRequest: true,
    failedCheck: 'aud',
  },
  { rule: 'fault alg-none', faults: ['alg-none'], expected: 'OAUTH_INVALID_RESPONSE:alg', status: 502, tokenRequest: true, failedCheck: 'alg' },
  { rule: 'fault kid-unknown', faults: ['kid-unknown'], expected: 'OAUTH_KEY_SELECTION_FAILED', status: 502, tokenRequest: true, failedCheck: 'signature' },
  {
    rule: 'fault expired (ID token)',
    faults: ['expired'],
    expected: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp',
    status: 502,
    tokenRequest: true,
    failedCheck: 'exp',
  },
  {
    rule: 'fault nonce-invalid',
    faults: ['nonce-invalid'],
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce',
    status: 502,
    tokenRequest: true,
    failedCheck: 'nonce',
  },
  // openid-client reads OAuth error bodies of 4xx answers only; a 500 is "not a conform response", whatever its body.
  { rule: 'fault token-5xx', faults: ['token-5xx'], expected: 'OAUTH_RESPONSE_IS_NOT_CONFORM', status: 502, tokenRequest: true },
  {
    rule: 'fault token-slow (beyond OIDC_HTTP_TIMEOUT_MS)',
    faults: ['token-slow'],
    params: { token_delay_ms: 8_000 },
    expected: 'OAUTH_TIMEOUT',
    status: 504,
    tokenRequest: true,
  },
];

describe('relying-party rules and emulator faults: each ends on the error page with nobody signed in', () => {
  it.each(REJECTIONS)('$rule → $expected', async (row) => {
    if (row.faults) await stack.setFaults(stack.clientIds['insight-analytics']!, row.faults, row.params);
    row.arrange?.();
    const browser = new Browser();
    const callback = new URL(await authorizeViaAuthServer(stack, browser, row.profile ?? 'insight-analytics', { decision: row.decision }));
    row.tamperCallback?.(callback);
    const page = await browser.get(callback.href);
    expect(errorKey(page), page.body.slice(0, 3000)).toBe(row.expected);
    expect(page.status).toBe(row.status);
    expect(stack.tap.calls.some((c) => c.grantType === 'authorization_code')).toBe(row.tokenRequest);
    if (row.failedCheck) expect(page.body).toMatch(new RegExp(`<tr class="check-fail">\\s*<th scope="row"><code>${row.failedCheck}</code>`));
    expect(await isSignedIn(browser)).toBe(false);
    expect(errorKey(await browser.get(callback.href))).toBe('ERR_NO_PENDING_LOGIN');
  });

  it('a replayed callback is refused without a token request, and creates no session', async () => {
    const browser = new Browser();
    const callback = await signIn(browser, 'insight-analytics');
    stack.tap.reset();
    expect(errorKey(await browser.get(callback))).toBe('ERR_NO_PENDING_LOGIN');
    const attacker = new Browser();
    const replay = await attacker.get(callback);
    expect(errorKey(replay)).toBe('ERR_NO_PENDING_LOGIN');
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(stack.tap.calls.filter((c) => c.grantType).length).toBe(0);
  });

  it('fault refresh-invalid-sub: the refreshed ID token names someone else, so the session ends', async () => {
    const browser = new Browser();
    await signIn(browser, 'insight-analytics');
    await stack.setFaults(stack.clientIds['insight-analytics']!, ['refresh-invalid-sub']);
    const page = await browser.post(`${stack.clientAppUrl}/refresh`, { _csrf: await csrf(browser) });
    expect(errorKey(page)).toBe('ERR_REFRESHED_ID_TOKEN_MISMATCH');
    expect(page.status).toBe(502);
    expect(page.body).toMatch(/<tr class="check-fail">\s*<th scope="row"><code>same person as at login<\/code>/);
    expect(await isSignedIn(browser)).toBe(false);
  });
});
