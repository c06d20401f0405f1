/**
 * The auth-server's security rules, one row per rule with the expected outcome next to it.
 * Rule ids (docs/rules.md): `FE-n` are the front end's rules, `AS-2` the authorization-server rule the front end
 * must uphold, `cat. FE-n` the detailed front-end requirements.
 * Every row runs for a Consumer and a B2B project against the emulator through the real SDK.
 * Cases that need more than one assertion follow the table.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedDocument } from '../../../src/emulator/index.ts';
import type { PageErrorCode } from '../../src/errors.ts';
import { Browser, hiddenField, type Page } from '../../../test/support/browser.ts';
import {
  attemptLogin,
  authorizePath,
  newBrowser,
  pkce,
  redeem,
  REDIRECT_URI,
  revokeStytchSessions,
  signIn,
  startAuthServer,
  startStack,
  type Stack,
} from './helpers.ts';

const STATE = 'neg-state';

type Expectation =
  /** An HTML error page with this code, and no Location header: nothing is redirected. */
  | { page: PageErrorCode; status: number; shows?: (s: Stack) => string[] }
  /** An OAuth error sent to the registered redirect_uri, with state and iss, and no code. */
  | { oauthError: string }
  /** A redirect to this server's own login page, never elsewhere. */
  | { login: true }
  /** A redirect to exactly this location. */
  | { location: string }
  /** The login page again, with an error and this status. */
  | { loginRefused: number };

interface Case {
  rule: string;
  name: string;
  only?: 'consumer' | 'b2b';
  /** Runs before Stytch calls are counted. */
  setup?: (s: Stack) => Promise<Setup>;
  act: (s: Stack, setup: Setup) => Promise<Page>;
  expect: Expectation;
  /** The request must not reach Stytch at all. */
  stytchUntouched?: true;
}

interface Setup {
  browser: Browser;
  consent?: Page;
  other?: Browser;
}

async function signedIn(s: Stack): Promise<Setup> {
  const browser = newBrowser(s);
  await signIn(s, browser);
  return { browser };
}

async function onConsentPage(s: Stack): Promise<Setup> {
  const { browser } = await signedIn(s);
  const consent = await browser.get(authorizePath(s.clients.thirdParty, { state: STATE, prompt: 'consent' }));
  expect(consent.status).toBe(200);
  return { browser, consent };
}

const anonymous = async (s: Stack): Promise<Setup> => ({ browser: newBrowser(s) });
const authorize =
  (pick: (s: Stack) => { client_id: string }, overrides: Record<string, string | undefined> = {}) =>
  (s: Stack, { browser }: Setup) =>
    browser.get(authorizePath(pick(s), { state: STATE, ...overrides }));
const submit = (fields: (setup: Setup) => Record<string, string | undefined>) => (_s: Stack, setup: Setup) =>
  setup.browser.post('/oauth/authorize/submit', fields(setup));
const csrf = (p: Page | undefined) => hiddenField(p!, '_csrf');
const txn = (p: Page | undefined) => hiddenField(p!, 'transaction_id');

const EVIL = 'https://evil.example/cb';

/** A custom RBAC scope (configured in the Dashboard) whose name and description are markup. */
const HOSTILE_SCOPE = { scope: '<img/src=x/onerror=alert(1)>', description: '"><script>alert(5)</script>' };
/** B2B: an organization whose policy allows no third-party Connected App, with one member. */
const LOCKED = { organization: 'locked-corp', email: 'bob@locked.example', password: 'correct-horse-battery-staple' };

const securitySeed = (seed: SeedDocument) => {
  seed.rbac?.scopes.push({ ...HOSTILE_SCOPE, permissions: [{ resource_id: 'reports', actions: ['read'] }] });
  if (seed.project.project_type === 'b2b') {
    seed.organizations.push({
      organization_id: 'organization-test-00000000-0000-4000-8000-00000000f00d',
      organization_name: 'Locked Corp',
      organization_slug: LOCKED.organization,
      third_party_connected_apps_allowed_type: 'NOT_ALLOWED',
      members: [
        {
          member_id: 'member-test-00000000-0000-4000-8000-00000000f00d',
          email_address: LOCKED.email,
          email_address_verified: true,
          password: LOCKED.password,
          mfa_phone_number_verified: true,
        },
      ],
    });
  }
};

const CASES: Case[] = [
  // AS-2: an unknown client or an unregistered redirect_uri is never redirected to (HTML 400, no Location).
  {
    rule: 'AS-2',
    name: 'unregistered redirect_uri',
    setup: signedIn,
    act: authorize((s) => s.clients.thirdParty, { redirect_uri: EVIL }),
    expect: {
      page: 'unregistered_redirect_uri',
      status: 400,
      shows: (s) => [`redirect_uri ${EVIL} is not registered for client ${s.clients.thirdParty.client_id}`, `Registered redirect URLs: ${REDIRECT_URI}`],
    },
  },
  {
    rule: 'AS-2',
    name: 'redirect_uri with an extra trailing slash (exact match)',
    setup: signedIn,
    act: authorize((s) => s.clients.firstParty, { redirect_uri: `${REDIRECT_URI}/` }),
    expect: { page: 'unregistered_redirect_uri', status: 400 },
  },
  {
    rule: 'AS-2',
    name: 'javascript: redirect_uri',
    setup: signedIn,
    act: authorize((s) => s.clients.firstParty, { redirect_uri: 'javascript:alert(1)//' }),
    expect: { page: 'unregistered_redirect_uri', status: 400 },
  },
  {
    rule: 'AS-2',
    name: 'unregistered redirect_uri with prompt=none and no session',
    setup: anonymous,
    act: authorize((s) => s.clients.firstParty, { redirect_uri: EVIL, prompt: 'none' }),
    expect: { page: 'unregistered_redirect_uri', status: 400 },
  },
  {
    rule: 'AS-2',
    name: 'unregistered redirect_uri with a malformed request and no session',
    setup: anonymous,
    act: authorize((s) => s.clients.firstParty, { redirect_uri: EVIL, response_type: 'token' }),
    expect: { page: 'unregistered_redirect_uri', status: 400 },
  },
  {
    rule: 'AS-2',
    name: "unregistered redirect_uri before login goes to this server's login only",
    setup: anonymous,
    act: authorize((s) => s.clients.firstParty, { redirect_uri: EVIL }),
    expect: { login: true },
  },
  {
    rule: 'AS-2',
    name: 'unknown client_id',
    setup: signedIn,
    act: authorize(() => ({ client_id: 'connected-app-test-00000000-0000-4000-8000-00000000dead' })),
    expect: { page: 'unknown_client', status: 400, shows: () => ['connected-app-test-00000000-0000-4000-8000-00000000dead'] },
  },
  {
    rule: 'AS-2',
    name: 'unknown client_id with prompt=none and no session',
    setup: anonymous,
    act: authorize(() => ({ client_id: 'connected-app-test-nope' }), { prompt: 'none' }),
    expect: { page: 'unknown_client', status: 400 },
  },
  {
    rule: 'AS-2',
    name: 'OIDC logout with post_logout_redirect_uri: an explained page, never a redirect',
    setup: signedIn,
    act: (s, { browser }) =>
      browser.get(`/oauth/authorize?client_id=${s.clients.firstParty.client_id}&post_logout_redirect_uri=${encodeURIComponent(EVIL)}&state=x`),
    expect: {
      page: 'logout_not_supported',
      status: 400,
      shows: (s) => [`The application ${s.clients.firstParty.client_id} asked this server to sign you out`],
    },
  },
  {
    rule: 'AS-2',
    name: 'no client_id',
    setup: anonymous,
    act: (_s, { browser }) => browser.get(`/oauth/authorize?response_type=code&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`),
    expect: { page: 'missing_client_id', status: 400 },
  },
  {
    rule: 'AS-2',
    name: 'repeated redirect_uri',
    setup: anonymous,
    act: (s, { browser }) => browser.get(`${authorizePath(s.clients.firstParty)}&redirect_uri=${encodeURIComponent(EVIL)}`),
    expect: { page: 'duplicate_parameter', status: 400 },
  },

  // cat. FE-3, cat. FE-14: other errors go back to the verified redirect_uri, with state and iss, never with a code.
  {
    rule: 'cat. FE-3',
    name: 'third-party public client without PKCE',
    setup: signedIn,
    act: authorize((s) => s.clients.thirdPartyPublic, { code_challenge: undefined, code_challenge_method: undefined }),
    expect: { oauthError: 'invalid_request' },
  },
  {
    rule: 'cat. FE-3',
    name: 'first-party public client without PKCE',
    setup: signedIn,
    act: authorize((s) => s.clients.firstPartyPublic, { code_challenge: undefined, code_challenge_method: undefined }),
    expect: { oauthError: 'invalid_request' },
  },
  {
    rule: 'cat. FE-3',
    name: 'code_challenge_method=plain',
    setup: signedIn,
    act: authorize((s) => s.clients.firstPartyPublic, { code_challenge_method: 'plain' }),
    expect: { oauthError: 'invalid_request' },
  },
  {
    rule: 'cat. FE-3',
    name: 'response_type=token, before login',
    setup: anonymous,
    act: authorize((s) => s.clients.firstParty, { response_type: 'token' }),
    expect: { oauthError: 'unsupported_response_type' },
  },
  {
    rule: 'cat. FE-3',
    name: 'a scope the project does not define',
    setup: signedIn,
    act: authorize((s) => s.clients.thirdParty, { scope: 'openid write:everything' }),
    expect: { oauthError: 'invalid_scope' },
  },
  {
    rule: 'cat. FE-3',
    name: 'a member of an organization that allows no third-party apps',
    only: 'b2b',
    setup: async (s) => {
      const browser = newBrowser(s);
      expect((await attemptLogin(s, browser, '/', LOCKED)).status).toBe(303);
      return { browser };
    },
    act: authorize((s) => s.clients.thirdParty),
    expect: { oauthError: 'access_denied' },
  },
  {
    rule: 'cat. FE-14',
    name: 'prompt=none without a session',
    setup: anonymous,
    act: authorize((s) => s.clients.thirdParty, { prompt: 'none' }),
    expect: { oauthError: 'login_required' },
  },

  // FE-1: every form POST carries the session's anti-forgery token; nothing reaches Stytch without it.
  {
    rule: 'FE-1',
    name: 'consent submit without a CSRF token',
    setup: onConsentPage,
    stytchUntouched: true,
    act: submit(({ consent }) => ({ transaction_id: txn(consent), decision: 'allow' })),
    expect: { page: 'csrf_invalid', status: 403 },
  },
  {
    rule: 'FE-1',
    name: 'consent submit with a wrong CSRF token',
    setup: onConsentPage,
    stytchUntouched: true,
    act: submit(({ consent }) => ({ _csrf: `${csrf(consent)}x`, transaction_id: txn(consent), decision: 'allow' })),
    expect: { page: 'csrf_invalid', status: 403 },
  },
  {
    rule: 'FE-1',
    name: 'consent submit with the CSRF token of another session',
    stytchUntouched: true,
    setup: async (s) => {
      const victim = await onConsentPage(s);
      const attacker = newBrowser(s);
      await attacker.get('/login');
      return { ...victim, other: attacker };
    },
    act: async (_s, { browser, consent, other }) => {
      const attackerToken = hiddenField(await other!.get('/login'), '_csrf');
      return browser.post('/oauth/authorize/submit', { _csrf: attackerToken, transaction_id: txn(consent), decision: 'allow' });
    },
    expect: { page: 'csrf_invalid', status: 403 },
  },
  {
    rule: 'FE-1',
    name: 'a cross-site POST without any cookie',
    setup: onConsentPage,
    stytchUntouched: true,
    act: async (s, { consent }) => newBrowser(s).post('/oauth/authorize/submit', { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' }),
    expect: { page: 'csrf_invalid', status: 403 },
  },
  {
    rule: 'FE-1',
    name: 'login without a CSRF token',
    setup: anonymous,
    stytchUntouched: true,
    act: (s, { browser }) => browser.post('/login', { email: s.login.email, password: s.login.password, organization: s.login.organization }),
    expect: { page: 'csrf_invalid', status: 403 },
  },
  {
    rule: 'FE-1',
    name: 'logout without a CSRF token',
    setup: signedIn,
    stytchUntouched: true,
    act: (_s, { browser }) => browser.post('/logout', {}),
    expect: { page: 'csrf_invalid', status: 403 },
  },

  // FE-7: the pending request lives server-side, in this session, and can be answered once.
  {
    rule: 'FE-7',
    name: 'a consent page answered twice',
    setup: onConsentPage,
    act: async (_s, { browser, consent }) => {
      const fields = { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' };
      expect((await browser.post('/oauth/authorize/submit', fields)).status).toBe(303);
      return browser.post('/oauth/authorize/submit', fields);
    },
    expect: { page: 'transaction_not_found', status: 403 },
  },
  {
    rule: 'FE-7',
    name: 'the transaction id of another session',
    stytchUntouched: true,
    setup: async (s) => ({ ...(await onConsentPage(s)), other: (await signedIn(s)).browser }),
    act: async (_s, { consent, other }) => {
      const ownToken = hiddenField(await other!.get('/'), '_csrf');
      return other!.post('/oauth/authorize/submit', { _csrf: ownToken, transaction_id: txn(consent), decision: 'allow' });
    },
    expect: { page: 'transaction_not_found', status: 403 },
  },
  {
    rule: 'FE-7',
    name: 'an unknown transaction id',
    setup: onConsentPage,
    stytchUntouched: true,
    act: submit(({ consent }) => ({ _csrf: csrf(consent), transaction_id: 'made-up', decision: 'allow' })),
    expect: { page: 'transaction_not_found', status: 403 },
  },
  {
    rule: 'FE-5',
    name: 'a consent page shown before a new login, answered after it',
    setup: onConsentPage,
    act: async (s, { browser, consent }) => {
      await signIn(s, browser);
      const token = hiddenField(await browser.get('/'), '_csrf');
      return browser.post('/oauth/authorize/submit', { _csrf: token, transaction_id: txn(consent), decision: 'allow' });
    },
    expect: { page: 'transaction_not_found', status: 403 },
  },
  {
    rule: 'FE-7',
    name: 'a decision that is neither allow nor deny',
    setup: onConsentPage,
    act: submit(({ consent }) => ({ _csrf: csrf(consent), transaction_id: txn(consent), decision: 'maybe' })),
    expect: { page: 'bad_request', status: 400 },
  },
  {
    rule: 'cat. FE-7',
    name: 'GET on the submit endpoint',
    setup: signedIn,
    stytchUntouched: true,
    act: (_s, { browser }) => browser.get('/oauth/authorize/submit'),
    expect: { page: 'method_not_allowed', status: 405 },
  },

  // FE-4: return_to leads only to this server's authorization endpoint.
  ...[
    'https://evil.example/oauth/authorize',
    '//evil.example/oauth/authorize',
    '/\\evil.example',
    'https:evil.example',
    '/%2F%2Fevil.example',
    'javascript:alert(1)',
    'http://localhost:3000@evil.example/',
    '/oauth/authorize/../../evil',
  ].map(
    (returnTo): Case => ({
      rule: 'FE-4',
      name: `login with return_to=${returnTo}`,
      setup: anonymous,
      act: async (s, { browser }) => {
        const page = await browser.get(`/login?return_to=${encodeURIComponent(returnTo)}`);
        expect(hiddenField(page, 'return_to')).toBe('/');
        return browser.post('/login', {
          _csrf: hiddenField(page, '_csrf'),
          return_to: returnTo,
          email: s.login.email,
          password: s.login.password,
          organization: s.login.organization,
        });
      },
      expect: { location: '/' },
    }),
  ),

  // Login failures stay on the login page with one message that does not say which part was wrong.
  {
    rule: 'login',
    name: 'a wrong password',
    setup: anonymous,
    act: (s, { browser }) => attemptLogin(s, browser, '/', { password: 'not-the-password' }),
    expect: { loginRefused: 401 },
  },
  {
    rule: 'login',
    name: 'an unknown email',
    setup: anonymous,
    act: (s, { browser }) => attemptLogin(s, browser, '/', { email: 'nobody@example.com' }),
    expect: { loginRefused: 401 },
  },
  {
    rule: 'login',
    name: 'an unknown organization',
    only: 'b2b',
    setup: anonymous,
    act: (s, { browser }) => attemptLogin(s, browser, '/', { organization: 'no-such-org' }),
    expect: { loginRefused: 401 },
  },
];

describe.each(['consumer', 'b2b'] as const)('%s project', (type) => {
  let stack: Stack;
  const logLines: string[] = [];
  beforeAll(async () => {
    stack = await startStack(type, { logLines, editSeed: securitySeed });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(CASES.filter((c) => !c.only || c.only === type).map((c) => [`${c.rule} ${c.name}`, c] as const))('%s', async (_name, c) => {
    const setup = c.setup ? await c.setup(stack) : { browser: newBrowser(stack) };
    const callsBefore = stack.stytchCalls.length;
    const res = await c.act(stack, setup);
    if (c.stytchUntouched) expect(stack.stytchCalls.slice(callsBefore)).toEqual([]);
    expectOutcome(stack, res, c.expect);
  });

  it('FE-2 escapes a state of "><script> (reflected XSS through a link to a valid client)', async () => {
    const state = '"><script>alert(document.cookie)</script><svg onload=alert(4)>';
    const { browser } = await signedIn(stack);
    const p = pkce();
    const consent = await browser.get(authorizePath(stack.clients.thirdParty, { state, prompt: 'consent' }, p));
    expect(consent.status).toBe(200);
    expect(consent.body).not.toContain('<script>alert');
    expect(consent.body).not.toContain('<svg onload');
    const res = await browser.post('/oauth/authorize/submit', { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' });
    expect(new URL(res.location!).searchParams.get('state')).toBe(state);
  });

  it('FE-7 ignores OAuth parameters added to the consent POST: the code is for the original request only', async () => {
    const { browser } = await signedIn(stack);
    const p = pkce();
    const consent = await browser.get(authorizePath(stack.clients.thirdParty, { state: 'original', scope: 'openid', prompt: 'consent' }, p));
    const res = await browser.post('/oauth/authorize/submit', {
      _csrf: csrf(consent),
      transaction_id: txn(consent),
      decision: 'allow',
      scope: 'openid email phone offline_access',
      scopes: 'offline_access',
      redirect_uri: EVIL,
      client_id: stack.clients.firstParty.client_id,
      state: 'forged',
      consent_granted: 'true',
      user_id: 'user-test-someone-else',
      organization_id: 'organization-test-someone-else',
    });
    expect(res.status).toBe(303);
    const url = new URL(res.location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('original');
    const token = await redeem(stack, stack.clients.thirdParty, url.searchParams.get('code')!, p);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('openid');
    expect(token.body.refresh_token).toBeUndefined();
  });

  it('FE-2 shows a hostile custom scope name and description as text', async () => {
    const { browser } = await signedIn(stack);
    const page = await browser.get(authorizePath(stack.clients.thirdParty, { scope: `openid ${HOSTILE_SCOPE.scope}`, prompt: 'consent' }));
    expect(page.status).toBe(200);
    expect(page.body).toContain('&lt;img/src&#61;x/onerror&#61;alert(1)&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;');
    expect(page.body).not.toMatch(/<img[^>]*onerror/);
    expect(page.body).not.toContain('<script>');
  });

  it('FE-8 answers the consent POST with 303, never 307', async () => {
    const { browser, consent } = await onConsentPage(stack);
    const res = await browser.post('/oauth/authorize/submit', { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' });
    expect(res.status).toBe(303);
  });

  it('FE-2 shows a hostile client name, description and logo as text', async () => {
    const created = await stack.sdk.connectedApp.clients.create({
      client_type: 'third_party',
      client_name: '<img src=x onerror=alert(1)>',
      client_description: '"><script>alert(2)</script>',
      redirect_urls: [REDIRECT_URI],
    });
    // The emulator refuses a javascript: logo_url; Stytch's rule is not documented, so the page must not
    // trust it either: the record is changed behind the API's back.
    const tampered = stack.emulator.ctx.store
      .collection<{ logo_url?: string }>('clients')
      .update(created.connected_app.client_id, (c) => ({ ...c, logo_url: 'javascript:alert(3)' }));
    expect(tampered?.logo_url).toBe('javascript:alert(3)');
    const { browser } = await signedIn(stack);
    const page = await browser.get(authorizePath(created.connected_app, { state: STATE }));
    expect(page.status).toBe(200);
    expect(page.body).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page.body).not.toMatch(/<img[^>]*onerror/);
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('javascript:');
  });

  it('FE-3 sends security headers on the login, consent and error pages', async () => {
    const { browser, consent } = await onConsentPage(stack);
    const login = await newBrowser(stack).get('/login');
    const error = await browser.get(authorizePath(stack.clients.thirdParty, { redirect_uri: EVIL }));
    for (const page of [login, consent!, error]) {
      const csp = page.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src '(none|self)'/);
      expect(csp).not.toContain('unsafe-inline');
      // form-action would make Chromium block the 303 from the consent POST to the client's origin.
      expect(csp).not.toContain('form-action');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
    }
    // Nothing on the pages needs inline script: there is no script at all.
    for (const page of [login, consent!, error]) expect(page.body).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('FE-6 sets the session cookie HttpOnly, SameSite=Lax, with its own name', async () => {
    const res = await fetch(`${stack.authServer.url}/login`, { redirect: 'manual' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('auth_sid='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    expect(cookie).not.toMatch(/;\s*Secure/i); // served over http://localhost
  });

  it('FE-5 a Stytch session revoked elsewhere ends the local one: the consent page cannot be answered', async () => {
    const { browser, consent } = await onConsentPage(stack);
    await revokeStytchSessions(stack);
    const res = await browser.post('/oauth/authorize/submit', { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' });
    expectOutcome(stack, res, { page: 'session_expired', status: 403 });
    expectOutcome(stack, await browser.get(authorizePath(stack.clients.firstParty)), { login: true });
  });

  it('FE-5 a Stytch session revoked elsewhere, while its session JWT is still young, sends the next authorization request to login', async () => {
    // The JWT alone would still pass the local check: authorizeStart, which sends Stytch the session token, must end it.
    const { browser } = await signedIn(stack);
    await revokeStytchSessions(stack);
    expectOutcome(stack, await browser.get(authorizePath(stack.clients.firstParty)), { login: true });
    expect((await browser.get('/')).body).not.toContain(stack.login.email);
  });

  it('FE-5 a Stytch session revoked elsewhere after its JWT was checked (and remembered) still ends at the next consent page', async () => {
    // The first consent page verified the JWT and remembered it: the second finds it in the cache, with no
    // local verification at all, so only authorizeStart (with the session token) can end it.
    const { browser } = await onConsentPage(stack);
    await revokeStytchSessions(stack);
    expectOutcome(stack, await browser.get(authorizePath(stack.clients.thirdParty, { prompt: 'consent' })), { login: true });
    expect((await browser.get('/')).body).not.toContain(stack.login.email);
  });

  it('FE-10 logs carry no password, secret, code, CSRF token or session cookie', async () => {
    const { browser, consent } = await onConsentPage(stack);
    await attemptLogin(stack, newBrowser(stack), '/', { password: 'wrong-password-in-logs' });
    const res = await browser.post('/oauth/authorize/submit', { _csrf: csrf(consent), transaction_id: txn(consent), decision: 'allow' });
    const code = new URL(res.location!).searchParams.get('code')!;
    const logs = logLines.join('\n');
    expect(logs).toContain('"msg":"signed in"');
    for (const secret of [stack.login.password, 'wrong-password-in-logs', stack.emulator.secret, code, csrf(consent), browser.cookie('auth_sid')!]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('FE-5 a logout without a CSRF token leaves the person signed in', async () => {
    const { browser } = await signedIn(stack);
    expect((await browser.post('/logout', {})).status).toBe(403);
    expect((await browser.get('/')).body).toContain(stack.login.email);
  });
});

describe('FE-10 Stytch unreachable', () => {
  it('a Stytch that accepts the connection but never answers: 502 once STYTCH_TIMEOUT_MS has passed', async () => {
    const silent = createServer(() => {
      // Never answers: only the dispatcher's timeout can end the SDK call.
    });
    await new Promise<void>((resolve) => silent.listen(0, 'localhost', resolve));
    const port = (silent.address() as AddressInfo).port;
    const probe = await startAuthServer('consumer', `http://localhost:${port}`, { env: { STYTCH_TIMEOUT_MS: '300' } });
    try {
      const browser = new Browser(probe.url);
      const login = await browser.get('/login');
      const res = await browser.post('/login', { _csrf: hiddenField(login, '_csrf'), email: 'ada@example.com', password: 'x' });
      expect(res.status).toBe(502);
      expect(res.body).toContain('data-error-code="stytch_unavailable"');
    } finally {
      await probe.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.each(['consumer', 'b2b'] as const)('%s: a clear 502 page, no stack trace, no secret', async (type) => {
    // A port that was just free: connection refused.
    const probe = await startAuthServer(type, 'http://localhost:9');
    try {
      const browser = new Browser(probe.url);
      const login = await browser.get('/login');
      const res = await browser.post('/login', { _csrf: hiddenField(login, '_csrf'), email: 'ada@example.com', password: 'x', organization: 'acme' });
      expect(res.status).toBe(502);
      expect(res.location).toBeNull();
      expect(res.body).toContain('data-error-code="stytch_unavailable"');
      expect(res.body).toContain('We could not reach the authentication service');
      expect(res.body).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
      expect(res.body).not.toContain('secret-test-');
      expect(res.body).not.toContain('fetch failed');
    } finally {
      await probe.close();
    }
  });
});

function expectOutcome(stack: Stack, res: Page, expected: Expectation): void {
  if ('page' in expected) {
    expect(res.status).toBe(expected.status);
    expect(res.location).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.body).toContain(`data-error-code="${expected.page}"`);
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);
    expect(res.body).not.toMatch(/<a [^>]*href="(javascript|https:\/\/evil)/i);
    for (const text of expected.shows?.(stack) ?? []) expect(res.body).toContain(text.replaceAll("'", '&#39;'));
    return;
  }
  if ('oauthError' in expected) {
    expect([302, 303]).toContain(res.status);
    const url = new URL(res.location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('error')).toBe(expected.oauthError);
    expect(url.searchParams.get('state')).toBe(STATE);
    expect(url.searchParams.get('iss')).toBe(stack.emulator.url);
    expect(url.searchParams.get('code')).toBeNull();
    return;
  }
  if ('login' in expected) {
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login\?return_to=%2Foauth%2Fauthorize%3F/);
    return;
  }
  if ('location' in expected) {
    expect(res.status).toBe(303);
    expect(res.location).toBe(expected.location);
    return;
  }
  expect(res.status).toBe(expected.loginRefused);
  expect(res.location).toBeNull();
  expect(res.body).toContain('action="/login"');
  expect(res.body).toMatch(/role="alert">[^<]*do not match an account/);
}

describe('login rate limit (Stytch 429)', () => {
  it.each(['consumer', 'b2b'] as const)('%s: too many wrong passwords end in a 429 login page, not a stack trace', async (type) => {
    const stack = await startStack(type, { emulator: { passwordLoginLimit: { max: 2, windowSeconds: 600 } } });
    try {
      const browser = newBrowser(stack);
      const statuses: number[] = [];
      let last: Page | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await attemptLogin(stack, browser, '/', { password: `wrong-${i}` });
        statuses.push(last.status);
      }
      expect(statuses.at(-1)).toBe(429);
      expect(last!.body).toContain('Too many attempts');
      expect(statuses.slice(0, 2)).toEqual([401, 401]);
    } finally {
      await stack.close();
    }
  });
});

describe('FE-6 Secure cookie over https', () => {
  it('marks the session cookie Secure when the public URL is https (behind a TLS proxy)', async () => {
    const server = await startAuthServer('consumer', 'http://localhost:9', {
      env: { AUTH_SERVER_PUBLIC_URL: 'https://login.example.com', AUTH_SERVER_TRUST_PROXY: 'true' },
    });
    try {
      const res = await fetch(`${server.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('auth_sid='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await server.close();
    }
  });
});
