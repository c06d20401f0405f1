/**
 * The Authorization URL, end to end against the emulator through the real SDK, Consumer and B2B:
 * the happy paths of issue 3 ("Done means").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField } from '../../../test/support/browser.ts';
import { authorizePath, newBrowser, pkce, redeem, REDIRECT_URI, signIn, startStack, stytchSessionIds, type Stack } from './helpers.ts';

describe.each(['consumer', 'b2b'] as const)('%s project', (type) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(type);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** The client's callback URL as the browser would load it, and its query parameters. */
  const callback = (location: string | null) => {
    expect(location).not.toBeNull();
    const url = new URL(location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    return url.searchParams;
  };

  it('sends a visitor without a session to the login page, and back to exactly the same authorization URL', async () => {
    const browser = newBrowser(stack);
    const path = authorizePath(stack.clients.firstParty, { state: 'state-1' });
    const first = await browser.get(path);
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/login?return_to=${encodeURIComponent(path)}`);

    const login = await browser.get(first.location!);
    expect(login.status).toBe(200);
    expect(hiddenField(login, 'return_to')).toBe(path);

    const done = await signIn(stack, browser, path);
    expect(done.status).toBe(303);
    expect(done.location).toBe(path);
    expect(stack.stytchCalls).toContain(type === 'b2b' ? 'POST /v1/b2b/passwords/authenticate' : 'POST /v1/passwords/authenticate');
  });

  it('sends a first-party client straight back with a code, state and iss, without consent', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const p = pkce();
    const res = await browser.get(authorizePath(stack.clients.firstParty, { state: 'fp-state' }, p));
    expect(res.status).toBe(302);
    const params = callback(res.location);
    expect(params.get('state')).toBe('fp-state');
    expect(params.get('iss')).toBe(stack.emulator.url);
    const code = params.get('code');
    expect(code).toBeTruthy();
    const token = await redeem(stack, stack.clients.firstParty, code!, p);
    expect(token.status).toBe(200);
    expect(token.body.id_token).toEqual(expect.any(String));
  });

  it("a request without response_type and scope (as ChatGPT sends it) gets a code for Stytch's fallback scopes", async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const p = pkce();
    const res = await browser.get(authorizePath(stack.clients.firstParty, { response_type: undefined, scope: undefined }, p));
    expect(res.status).toBe(302);
    const token = await redeem(stack, stack.clients.firstParty, callback(res.location).get('code')!, p);
    expect(String(token.body.scope).split(' ').sort()).toEqual(['email', 'openid', 'profile']);
  });

  it('shows a third-party client the consent page: who asks, for what, who is signed in', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const res = await browser.get(authorizePath(stack.clients.thirdParty, { scope: 'openid email profile read:reports' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.body).toContain('Insight Analytics');
    expect(res.body).toContain('See your email address');
    expect(res.body).toContain('See your name and profile picture');
    // The custom scope is described with the text of the project's RBAC policy.
    expect(res.body).toContain(stack.type === 'b2b' ? 'Read your organization&#39;s reports' : 'Read your reports');
    expect(res.body).toContain(stack.login.email);
    if (type === 'b2b') expect(res.body).toContain('Acme Corp');
    expect(res.body).toMatch(/name="decision" value="allow"/);
    expect(res.body).toMatch(/name="decision" value="deny"/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('Allow: 303 to the client with a code for exactly the requested scopes', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const p = pkce();
    const consent = await browser.get(authorizePath(stack.clients.thirdParty, { state: 'allow-state', scope: 'openid email' }, p));
    expect(consent.status).toBe(200);
    const res = await browser.post('/oauth/authorize/submit', {
      _csrf: hiddenField(consent, '_csrf'),
      transaction_id: hiddenField(consent, 'transaction_id'),
      decision: 'allow',
    });
    expect(res.status).toBe(303);
    const params = callback(res.location);
    expect(params.get('state')).toBe('allow-state');
    expect(params.get('iss')).toBe(stack.emulator.url);
    const token = await redeem(stack, stack.clients.thirdParty, params.get('code')!, p);
    expect(token.status).toBe(200);
    expect(String(token.body.scope).split(' ').sort()).toEqual(['email', 'openid']);
  });

  it('resource (RFC 8707): the consent page names it, Stytch gets it as resources, the access token carries it in aud', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const p = pkce();
    const resource = 'https://mcp.example.test/mcp';
    const consent = await browser.get(`${authorizePath(stack.clients.thirdParty, { prompt: 'consent' }, p)}&resource=${encodeURIComponent(resource)}`);
    expect(consent.status).toBe(200);
    expect(consent.body).toContain(`<code>${resource}</code>`);
    const res = await browser.post('/oauth/authorize/submit', {
      _csrf: hiddenField(consent, '_csrf'),
      transaction_id: hiddenField(consent, 'transaction_id'),
      decision: 'allow',
    });
    const token = await redeem(stack, stack.clients.thirdParty, callback(res.location).get('code')!, p);
    expect(token.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(token.body.access_token).split('.')[1]!, 'base64url').toString()) as { aud: string[] };
    expect(claims.aud).toEqual([stack.emulator.projectId, resource]);
  });

  it('Deny: 303 to the client with error=access_denied and the state, no code', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    // prompt=consent: the Allow test above may already have recorded a grant for these scopes.
    const consent = await browser.get(authorizePath(stack.clients.thirdParty, { state: 'deny-state', prompt: 'consent' }));
    expect(consent.status).toBe(200);
    const res = await browser.post('/oauth/authorize/submit', {
      _csrf: hiddenField(consent, '_csrf'),
      transaction_id: hiddenField(consent, 'transaction_id'),
      decision: 'deny',
    });
    expect(res.status).toBe(303);
    const params = callback(res.location);
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('deny-state');
    expect(params.get('code')).toBeNull();
  });

  it('prompt=none without a session: login_required back to the client, no page', async () => {
    const browser = newBrowser(stack);
    const res = await browser.get(authorizePath(stack.clients.firstParty, { prompt: 'none', state: 'none-state' }));
    expect(res.status).toBe(302);
    const params = callback(res.location);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe('none-state');
    expect(params.get('iss')).toBe(stack.emulator.url);
  });

  it('prompt=none when consent is needed: consent_required back to the client, no page', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const res = await browser.get(authorizePath(stack.clients.thirdParty, { prompt: 'none', scope: 'openid phone', state: 'cr' }));
    expect(res.status).toBe(302);
    const params = callback(res.location);
    expect(params.get('error')).toBe('consent_required');
    expect(params.get('state')).toBe('cr');
  });

  it('prompt=none with a session and no consent needed: a code', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const res = await browser.get(authorizePath(stack.clients.firstParty, { prompt: 'none' }));
    expect(res.status).toBe(302);
    expect(callback(res.location).get('code')).toBeTruthy();
  });

  it('prompt=login asks a signed-in person to sign in again, then completes', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const path = authorizePath(stack.clients.firstParty, { prompt: 'login' });
    const forced = await browser.get(path);
    expect(forced.status).toBe(302);
    expect(forced.location).toBe(`/login?return_to=${encodeURIComponent(path)}`);
    const loginPage = await browser.get(forced.location!);
    expect(loginPage.body).toContain(`already signed in as <strong>${stack.login.email}</strong>`);
    const again = await signIn(stack, browser, path);
    expect(again.location).toBe(path);
    const res = await browser.get(path);
    expect(res.status).toBe(302);
    expect(callback(res.location).get('code')).toBeTruthy();
    // The login counted once: the same request again needs another login.
    expect((await browser.get(path)).location).toMatch(/^\/login\?/);
  });

  it('prompt=consent shows the consent page again after a grant', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const consent = await browser.get(authorizePath(stack.clients.thirdParty, { scope: 'openid' }));
    if (consent.status === 200) {
      await browser.post('/oauth/authorize/submit', {
        _csrf: hiddenField(consent, '_csrf'),
        transaction_id: hiddenField(consent, 'transaction_id'),
        decision: 'allow',
      });
    }
    const without = await browser.get(authorizePath(stack.clients.thirdParty, { scope: 'openid' }));
    expect(without.status).toBe(302);
    const forced = await browser.get(authorizePath(stack.clients.thirdParty, { scope: 'openid', prompt: 'consent' }));
    expect(forced.status).toBe(200);
    expect(forced.body).toContain('Insight Analytics');
  });

  it('regenerates the session id at login: a cookie planted before login is worthless after it', async () => {
    const browser = newBrowser(stack);
    const anonymous = await browser.get('/login');
    expect(anonymous.status).toBe(200);
    const before = browser.cookie('auth_sid');
    expect(before).toBeTruthy();
    await signIn(stack, browser);
    const after = browser.cookie('auth_sid');
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);

    const attacker = newBrowser(stack);
    attacker.setCookie('auth_sid', before!);
    expect((await attacker.get('/')).body).toContain('You are not signed in');
    expect((await browser.get('/')).body).toContain(stack.login.email);
  });

  it('logout revokes the Stytch session and destroys the local one', async () => {
    const browser = newBrowser(stack);
    await signIn(stack, browser);
    const home = await browser.get('/');
    const cookie = browser.cookie('auth_sid')!;
    const activeBefore = (await stytchSessionIds(stack)).length;

    const res = await browser.post('/logout', { _csrf: hiddenField(home, '_csrf') });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/login');
    expect(browser.cookie('auth_sid')).toBeUndefined();
    expect((await stytchSessionIds(stack)).length).toBe(activeBefore - 1);

    const replay = newBrowser(stack);
    replay.setCookie('auth_sid', cookie);
    expect((await replay.get(authorizePath(stack.clients.firstParty))).location).toMatch(/^\/login\?return_to=/);
  });

  it('serves /healthz and its stylesheet', async () => {
    const browser = newBrowser(stack);
    const health = await browser.get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', projectType: type });
    const css = await browser.get('/assets/auth.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });
});
