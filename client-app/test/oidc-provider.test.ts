/**
 * The client-app against node-oidc-provider, an independent certified OpenID provider: proof that the relying
 * party is standards-only and not tied to the Stytch emulator. Full flows for confidential and public clients,
 * then every relying-party rule as a row of a table, each ending on the error page with nobody signed in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser } from '../../test/support/browser.ts';
import { applyFault, type IdTokenFault } from './helpers/jwt-faults.ts';
import { authorizeAtOp, CONFIDENTIAL, csrfOf, errorKey, isSignedIn, PUBLIC, startOpStack, tokenCalls, type OpStack } from './helpers/op-stack.ts';
import { hang, type JsonBody } from './helpers/tap.ts';

let stack: OpStack;
beforeAll(async () => {
  stack = await startOpStack();
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.tap.reset());

/** Calls the provider's token endpoint directly, as an attacker holding a leaked refresh token would. */
async function useRefreshToken(refreshToken: string, client: { client_id: string; client_secret?: string }): Promise<{ status: number; error?: string }> {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.client_secret) headers.authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  const res = await fetch(`${stack.op.issuer}/token`, { method: 'POST', headers, body });
  const json = (await res.json()) as { error?: string };
  return { status: res.status, error: json.error };
}

async function signIn(browser: Browser, profile: string) {
  const callback = await authorizeAtOp(stack, browser, profile);
  const done = await browser.get(callback);
  expect(done.status, done.body.slice(0, 1500)).toBe(303);
  expect(done.redirect).toBe(`${stack.app.url}/account`);
  return { callback, done };
}

describe('full flow against oidc-provider', () => {
  it('confidential client (client_secret_basic): login, userinfo, refresh, logout with revocation', async () => {
    const browser = new Browser();
    const start = await browser.get(`${stack.app.url}/login?profile=confidential`);
    const cookieAtLogin = browser.cookie('client_sid', 'http://localhost');
    expect(start.headers.getSetCookie().join()).toMatch(/client_sid=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    const authorize = new URL(start.redirect!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(22);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.has('code_verifier')).toBe(false);

    const { done } = await signIn(browser, 'confidential');
    // RP-12: a new session id after login.
    expect(browser.cookie('client_sid', 'http://localhost')).not.toBe(cookieAtLogin);
    expect(done.headers.getSetCookie().join()).toMatch(/HttpOnly/);

    const tokens = stack.tap.tokenResponses[0] as { access_token: string; refresh_token: string; id_token: string };
    const account = await browser.get(`${stack.app.url}/account`);
    expect(account.body).toContain('Alice Example');
    const inspector = await browser.get(`${stack.app.url}/inspector`);
    expect(inspector.body).toContain('ID token validated');
    expect(inspector.body).toContain('Basic [client_id:client_secret');
    // RP-11: tokens never reach the browser.
    for (const page of [account, inspector]) {
      for (const token of [tokens.access_token, tokens.refresh_token, tokens.id_token]) expect(page.body).not.toContain(token);
      expect(page.body).not.toContain(CONFIDENTIAL.client_secret);
    }

    let csrf = await csrfOf(stack, browser);
    const userinfo = await browser.post(`${stack.app.url}/userinfo`, { _csrf: csrf });
    expect(userinfo.status).toBe(303);
    expect(stack.tap.calls.filter((c) => c.url.endsWith('/me')).length).toBe(2);

    const refreshed = await browser.post(`${stack.app.url}/refresh`, { _csrf: csrf });
    expect(refreshed.status, refreshed.body.slice(0, 1500)).toBe(303);
    expect(stack.tap.calls.some((c) => c.grantType === 'refresh_token')).toBe(true);
    expect((await browser.get(`${stack.app.url}/inspector`)).body).toContain('Tokens refreshed');

    csrf = await csrfOf(stack, browser);
    const out = await browser.post(`${stack.app.url}/logout`, { _csrf: csrf });
    expect(out.status).toBe(303);
    // RP-initiated logout, because oidc-provider advertises end_session_endpoint.
    expect(out.redirect).toMatch(new RegExp(`^${stack.op.issuer}/session/end\\?`));
    expect(new URL(out.redirect!).searchParams.get('post_logout_redirect_uri')).toBe(`${stack.app.url}/`);
    expect(stack.tap.calls.filter((c) => c.url.endsWith('/token/revocation')).length).toBe(2);
    expect(await isSignedIn(stack, browser)).toBe(false);
    // RP-12: the revoked refresh token no longer works.
    expect(await useRefreshToken(tokens.refresh_token, CONFIDENTIAL)).toMatchObject({ status: 400, error: 'invalid_grant' });
    const me = await fetch(`${stack.op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
  });

  it('public client (none + PKCE): login, rotating refresh, concurrent refreshes do not trip reuse detection, logout', async () => {
    const browser = new Browser();
    await signIn(browser, 'public');
    const first = stack.tap.tokenResponses[0] as { refresh_token: string };
    const inspector = await browser.get(`${stack.app.url}/inspector`);
    expect(inspector.body).not.toContain('Basic [client_id');

    const csrf = await csrfOf(stack, browser);
    // RP-7: two refreshes at once (double click, two tabs) run one after the other on the current token.
    const results = await Promise.all([browser.post(`${stack.app.url}/refresh`, { _csrf: csrf }), browser.post(`${stack.app.url}/refresh`, { _csrf: csrf })]);
    expect(results.map((r) => r.status)).toEqual([303, 303]);
    const refreshes = stack.tap.tokenResponses.slice(1) as Array<{ refresh_token: string }>;
    expect(refreshes).toHaveLength(2);
    expect(new Set([first.refresh_token, ...refreshes.map((r) => r.refresh_token)]).size).toBe(3);
    expect((await browser.get(`${stack.app.url}/inspector`)).body).toContain('rotated the refresh token');
    expect(await isSignedIn(stack, browser)).toBe(true);

    const out = await browser.post(`${stack.app.url}/logout`, { _csrf: await csrfOf(stack, browser) });
    expect(out.status).toBe(303);
    expect(await useRefreshToken(refreshes[1]!.refresh_token, PUBLIC)).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('client_secret_post is used when configured (never guessed from the provider)', async () => {
    const browser = new Browser();
    await signIn(browser, 'post');
    const inspector = await browser.get(`${stack.app.url}/inspector`);
    expect(inspector.body).toMatch(/<code>client_secret<\/code>/);
    expect(inspector.body).not.toContain('Basic [client_id');
  });

  it('sends the security headers: strict CSP without inline script, no referrer, no framing, no caching', async () => {
    const res = await fetch(`${stack.app.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Never revalidated, so no ETag is computed.
    expect(res.headers.get('etag')).toBeNull();
    // A visitor who only looks gets no session.
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('serves /healthz and the logo the demo seed points at', async () => {
    expect((await fetch(`${stack.app.url}/healthz`)).status).toBe(200);
    const logo = await fetch(`${stack.app.url}/static/logo-insight.svg`);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toContain('image/svg+xml');
  });

  it('regression: the logo was a broken image on the consent page (same-origin CORP); logos load cross-origin, styles do not', async () => {
    const logo = await fetch(`${stack.app.url}/static/logo-insight.svg`);
    expect(logo.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const css = await fetch(`${stack.app.url}/static/style.css`);
    expect(css.headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });
});

/** Replaces the ID token of the authorization_code (or refresh) response, as a misbehaving provider would. */
function idTokenFault(fault: IdTokenFault, grant = 'authorization_code') {
  return async (_url: string, json: JsonBody, request: { grantType?: string }) => {
    if (request.grantType !== grant || typeof json.id_token !== 'string') return undefined;
    return { ...json, id_token: await applyFault(json.id_token, fault, stack.op) };
  };
}

const claims = (change: (c: Record<string, unknown>) => void): IdTokenFault => ({ kind: 'claims', change });

interface Row {
  rule: string;
  profile?: string;
  expected: string;
  status: number;
  /** Whether the code may reach the token endpoint before the rejection. */
  tokenRequest: boolean;
  deny?: boolean;
  tamperCallback?: (url: URL) => void;
  arrange?: () => void;
  /** The row of the inspector's ID token checks that must show the failure. */
  failedCheck?: string;
}

const NOW = () => Math.floor(Date.now() / 1000);

const REJECTIONS: Row[] = [
  {
    rule: 'RP-1 state altered in the callback',
    expected: 'ERR_STATE_MISMATCH',
    status: 400,
    tokenRequest: false,
    tamperCallback: (u) => u.searchParams.set('state', 'forged-state-value'),
  },
  {
    rule: 'RP-1 state removed from the callback',
    expected: 'ERR_STATE_MISSING',
    status: 400,
    tokenRequest: false,
    tamperCallback: (u) => u.searchParams.delete('state'),
  },
  {
    rule: 'RP-4 iss of another issuer in the callback (mix-up)',
    expected: 'OAUTH_INVALID_RESPONSE:iss-param-mismatch',
    status: 400,
    tokenRequest: false,
    tamperCallback: (u) => u.searchParams.set('iss', 'https://evil.example'),
  },
  {
    rule: 'RP-4 iss removed while the provider advertises it',
    expected: 'OAUTH_INVALID_RESPONSE:iss-param-missing',
    status: 400,
    tokenRequest: false,
    tamperCallback: (u) => u.searchParams.delete('iss'),
  },
  { rule: 'RP-10 error=access_denied (consent declined)', expected: 'access_denied', status: 403, tokenRequest: false, deny: true },
  {
    rule: 'RP-2 PKCE code_verifier does not match the challenge',
    expected: 'invalid_grant',
    status: 400,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteRequest = (_u, body) => body.has('code_verifier') && body.set('code_verifier', 'x'.repeat(64))),
  },
  { rule: 'wrong client secret', profile: 'wrong-secret', expected: 'invalid_client', status: 502, tokenRequest: true },
  {
    rule: 'RP-5 ID token signature altered',
    failedCheck: 'signature',
    expected: 'OAUTH_INVALID_RESPONSE:signature',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault({ kind: 'bad-signature' })),
  },
  {
    rule: 'RP-5 ID token signed by an unknown key (kid)',
    failedCheck: 'signature',
    expected: 'OAUTH_KEY_SELECTION_FAILED',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault({ kind: 'unknown-kid' })),
  },
  {
    rule: 'RP-5 ID token with alg none',
    failedCheck: 'alg',
    expected: 'OAUTH_INVALID_RESPONSE:alg',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault({ kind: 'alg-none' })),
  },
  {
    rule: 'RP-5 ID token HS256-signed with the client secret',
    failedCheck: 'alg',
    expected: 'OAUTH_INVALID_RESPONSE:alg',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault({ kind: 'hs256', secret: CONFIDENTIAL.client_secret })),
  },
  {
    rule: 'RP-5 ID token from another issuer',
    failedCheck: 'iss',
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => (c.iss = 'https://evil.example')))),
  },
  {
    rule: 'RP-5 ID token for another client (aud)',
    failedCheck: 'aud',
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => (c.aud = 'another-client')))),
  },
  {
    rule: 'RP-5 ID token with an extra audience and no azp',
    failedCheck: 'aud',
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud',
    status: 502,
    tokenRequest: true,
    arrange: () =>
      (stack.tap.rewriteResponse = idTokenFault(
        claims((c) => {
          c.aud = [CONFIDENTIAL.client_id, 'another-client'];
          delete c.azp;
        }),
      )),
  },
  {
    rule: 'RP-5 ID token whose azp is another client',
    failedCheck: 'aud',
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:azp',
    status: 502,
    tokenRequest: true,
    arrange: () =>
      (stack.tap.rewriteResponse = idTokenFault(
        claims((c) => {
          c.aud = [CONFIDENTIAL.client_id, 'another-client'];
          c.azp = 'another-client';
        }),
      )),
  },
  {
    rule: 'RP-5 expired ID token',
    failedCheck: 'exp',
    expected: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp',
    status: 502,
    tokenRequest: true,
    arrange: () =>
      (stack.tap.rewriteResponse = idTokenFault(
        claims((c) => {
          c.iat = NOW() - 7200;
          c.exp = NOW() - 3600;
        }),
      )),
  },
  {
    rule: 'RP-5 ID token without iat',
    failedCheck: 'required claims',
    expected: 'OAUTH_INVALID_RESPONSE:claim-missing',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => delete c.iat))),
  },
  {
    rule: 'RP-5 ID token without sub',
    failedCheck: 'required claims',
    expected: 'OAUTH_INVALID_RESPONSE:claim-missing',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => delete c.sub))),
  },
  {
    rule: 'RP-3 ID token with another nonce',
    failedCheck: 'nonce',
    expected: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => (c.nonce = 'another-login')))),
  },
  {
    rule: 'RP-3 ID token without the nonce',
    failedCheck: 'nonce',
    expected: 'OAUTH_INVALID_RESPONSE:nonce-missing',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => delete c.nonce))),
  },
  {
    rule: 'OIDC Core 3.1.3.8 at_hash of another access token',
    failedCheck: 'at_hash',
    expected: 'ERR_AT_HASH_MISMATCH',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = idTokenFault(claims((c) => (c.at_hash = 'AAAAAAAAAAAAAAAAAAAAAA')))),
  },
  {
    rule: 'RP-6 UserInfo about another person (sub)',
    expected: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED:sub',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.rewriteResponse = async (url, json) => (url.endsWith('/me') ? { ...json, sub: 'mallory' } : undefined)),
  },
  {
    rule: 'RP-10 token endpoint answers HTTP 500',
    expected: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
    status: 502,
    tokenRequest: true,
    arrange: () => (stack.tap.respond = (url) => (url.endsWith('/token') ? Promise.resolve(new Response('oops', { status: 500 })) : undefined)),
  },
  {
    rule: 'RP-10 token endpoint never answers (timeout)',
    expected: 'OAUTH_TIMEOUT',
    status: 504,
    tokenRequest: true,
    arrange: () => (stack.tap.respond = (url, init) => (url.endsWith('/token') ? hang(init) : undefined)),
  },
  {
    rule: 'RP-10 token endpoint unreachable',
    expected: 'NETWORK_ERROR',
    status: 502,
    tokenRequest: true,
    arrange: () =>
      (stack.tap.respond = (url) =>
        url.endsWith('/token') ? Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') })) : undefined),
  },
];

describe('relying-party rules: each rejection ends on the error page with nobody signed in', () => {
  it.each(REJECTIONS)('$rule → $expected', async (row) => {
    const browser = new Browser();
    row.arrange?.();
    const callback = new URL(await authorizeAtOp(stack, browser, row.profile ?? 'confidential', { deny: row.deny }));
    row.tamperCallback?.(callback);
    const page = await browser.get(callback.href);
    expect(errorKey(page), page.body.slice(0, 3000)).toBe(row.expected);
    expect(page.status).toBe(row.status);
    expect(page.body).not.toMatch(/at \S+ \(.*:\d+:\d+\)/); // no stack trace
    expect(tokenCalls(stack) > 0).toBe(row.tokenRequest);
    if (row.failedCheck) {
      // The error page's timeline explains which ID token check failed.
      expect(page.body).toMatch(new RegExp(`<tr class="check-fail">\\s*<th scope="row"><code>${row.failedCheck}</code>`));
    }
    stack.tap.reset();
    expect(await isSignedIn(stack, browser)).toBe(false);
    // The pending login was single use: the same callback again finds nothing to complete.
    expect(errorKey(await browser.get(callback.href))).toBe('ERR_NO_PENDING_LOGIN');
    expect(tokenCalls(stack)).toBe(0);
  });

  it('RP-1 a replayed callback is refused, in the same browser and in another one, without a token request', async () => {
    const browser = new Browser();
    const { callback } = await signIn(browser, 'confidential');
    stack.tap.reset();
    const again = await browser.get(callback);
    expect(errorKey(again)).toBe('ERR_NO_PENDING_LOGIN');
    expect(again.status).toBe(400);

    const attacker = new Browser();
    const stolen = await attacker.get(callback);
    expect(errorKey(stolen)).toBe('ERR_NO_PENDING_LOGIN');
    expect(stolen.headers.getSetCookie()).toEqual([]); // no session created for a stray callback
    expect(await isSignedIn(stack, attacker)).toBe(false);
    expect(tokenCalls(stack)).toBe(0);
  });

  it('RP-7 a refreshed ID token about another person ends the session', async () => {
    const browser = new Browser();
    await signIn(browser, 'confidential');
    stack.tap.rewriteResponse = idTokenFault(
      claims((c) => (c.sub = 'mallory')),
      'refresh_token',
    );
    const page = await browser.post(`${stack.app.url}/refresh`, { _csrf: await csrfOf(stack, browser) });
    expect(errorKey(page)).toBe('ERR_REFRESHED_ID_TOKEN_MISMATCH');
    expect(page.body).toContain('same person as at login');
    expect(await isSignedIn(stack, browser)).toBe(false);
  });

  it('RP-7 a refreshed ID token from another issuer ends the session', async () => {
    const browser = new Browser();
    await signIn(browser, 'confidential');
    stack.tap.rewriteResponse = idTokenFault(
      claims((c) => (c.iss = 'https://evil.example')),
      'refresh_token',
    );
    const page = await browser.post(`${stack.app.url}/refresh`, { _csrf: await csrfOf(stack, browser) });
    expect(errorKey(page)).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss');
    expect(await isSignedIn(stack, browser)).toBe(false);
  });

  it("renders the provider's error_description as text, never as markup", async () => {
    const browser = new Browser();
    const callback = new URL(await authorizeAtOp(stack, browser, 'confidential'));
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('error_description', '<script>alert(1)</script><img src=x onerror=alert(2)>');
    const page = await browser.get(callback.href);
    expect(errorKey(page)).toBe('access_denied');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('forms without the anti-forgery token are refused and change nothing', async () => {
    const browser = new Browser();
    await signIn(browser, 'confidential');
    for (const form of [{}, { _csrf: 'forged' }] as Array<Record<string, string>>) {
      const page = await browser.post(`${stack.app.url}/logout`, form);
      expect(errorKey(page)).toBe('ERR_CSRF');
      expect(page.status).toBe(403);
    }
    expect(stack.tap.calls.some((c) => c.url.includes('revocation'))).toBe(false);
    expect(await isSignedIn(stack, browser)).toBe(true);
  });

  it('an unknown profile and an unreachable provider end on explained pages; the app keeps serving', async () => {
    const browser = new Browser();
    const unknown = await browser.get(`${stack.app.url}/login?profile=nope`);
    expect(errorKey(unknown)).toBe('ERR_UNKNOWN_PROFILE');
    expect(unknown.status).toBe(404);
    const down = await browser.get(`${stack.app.url}/login?profile=down`);
    expect(errorKey(down)).toBe('ERR_DISCOVERY_FAILED');
    expect(down.status).toBe(502);
    expect(down.body).toContain('http://127.0.0.1:9/.well-known/openid-configuration'); // the failed request, in the timeline
    const home = await browser.get(`${stack.app.url}/`);
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/status-failing/);
  });
});
