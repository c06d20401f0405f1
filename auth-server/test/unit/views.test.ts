/**
 * FE-2 / cat. FE-4: everything rendered is escaped, attributes included, and only
 * https (or http://localhost) logos become images. The integration tests repeat this through the
 * emulator for what it lets through (client name, description, logo, state).
 */
import { describe, expect, it } from 'vitest';
import { PAGE_ERRORS } from '../../src/errors.ts';
import { consentPage } from '../../src/views/consent.ts';
import { errorPage } from '../../src/views/error.ts';
import { loginPage } from '../../src/views/login.ts';
import type { AuthorizeStartResult } from '../../src/stytch/backend.ts';

// biome-ignore lint/suspicious/noTemplateCurlyInString: a template-literal injection payload, on purpose
const XSS = [`<img src=x onerror=alert(1)>`, `"><script>alert(2)</script>`, `'onmouseover='alert(3)`, '`${alert(4)}`'];
const view = { appName: '<b>Acme</b>' };

/** No markup from the payloads survives: no tag, no attribute break-out. */
function expectInert(page: string) {
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<img[^>]+onerror/i);
  expect(page).not.toMatch(/<b>Acme/);
  expect(page).not.toMatch(/'onmouseover='/);
  expect(page).not.toContain('javascript:');
  expect(page).not.toContain('data:text');
}

function start(overrides: Partial<AuthorizeStartResult['client']> = {}, scope = '<b>x</b>'): AuthorizeStartResult {
  return {
    subject: { id: 'user-test-1' },
    person: { email: XSS[1]!, name: XSS[0]!, organizationName: XSS[2]! },
    client: { id: 'connected-app-test-1', name: XSS[0]!, description: XSS[1]!, type: 'third_party', ...overrides },
    consentRequired: true,
    scopes: [
      { scope: 'openid', description: '', grantable: true },
      { scope, description: XSS[1]!, grantable: true },
      { scope: 'constructor', description: XSS[3]!, grantable: false },
    ],
  };
}

/** The consent page of `start()` with plain values, and `input` in their place. */
function render(input: Partial<Parameters<typeof consentPage>[1]> = {}): string {
  return consentPage(view, {
    start: start(),
    transactionId: 't',
    csrfToken: 'c',
    redirectUri: 'https://app.example/cb',
    resources: [],
    returnTo: '/oauth/authorize',
    ...input,
  }).toString();
}

describe('consent page', () => {
  it.each(XSS)('renders client, person and scope text %s as text', (payload) => {
    const page = render({
      start: start({ name: payload, description: payload }, payload),
      transactionId: payload,
      csrfToken: payload,
      redirectUri: `https://app.example/cb?x=${payload}`,
      resources: [`https://mcp.example/${payload}`],
      returnTo: `/oauth/authorize?state=${payload}`,
    });
    expectInert(page);
  });

  it('shows a hostile client name escaped, visibly', () => {
    const page = render();
    expect(page).toContain('&lt;img src&#61;x onerror&#61;alert(1)&gt;');
  });

  it.each([
    ['javascript:alert(3)', false],
    ['data:image/svg+xml,<svg onload=alert(1)>', false],
    ['http://evil.example/logo.png', false],
    ['https://cdn.example/logo.png', true],
    ['http://localhost:3001/static/logo.svg', true],
  ])('logo_url %s renders as an image: %s', (logoUrl, shown) => {
    const page = render({ start: start({ logoUrl }) });
    expect(page.includes('<img class="app-logo"')).toBe(shown);
    expectInert(page);
  });

  it('posts only the transaction id, the token and the decision', () => {
    const page = render({ transactionId: 'txn', csrfToken: 'tok', returnTo: '/oauth/authorize?client_id=c' });
    const consentForm = page.slice(page.indexOf('action="/oauth/authorize/submit"'));
    const fields = [...consentForm.slice(0, consentForm.indexOf('</form>')).matchAll(/name="([^"]+)"/g)].map((m) => m[1]);
    expect(fields.sort()).toEqual(['_csrf', 'decision', 'decision', 'transaction_id']);
  });

  it('names the resources the client wants to reach (RFC 8707), as text', () => {
    const page = render({ resources: ['https://mcp.example/mcp', 'https://api.example/'] });
    expect(page).toMatch(/will use this access at:[\s\S]*<code>https:\/\/mcp.example\/mcp<\/code>[\s\S]*<code>https:\/\/api.example\/<\/code>/);
    expect(render({ returnTo: '/' })).not.toContain('will use this access at');
  });

  it('names the host of a Client ID Metadata Document client, the part of it that is verified', () => {
    const id = 'https://agent.example/oauth/client.json';
    const page = render({ start: start({ id }), redirectUri: 'http://127.0.0.1:5000/cb', returnTo: '/' });
    expect(page).toContain('Identified by <strong>agent.example</strong>');
    expect(render({ returnTo: '/' })).not.toContain('Identified by');
  });

  it('lists a scope the person cannot grant separately', () => {
    const page = render();
    expect(page).toMatch(/does not let you grant[\s\S]*Permission: constructor/);
  });
});

describe('error page', () => {
  it('shows an unregistered redirect_uri as escaped text, never as a link', () => {
    const redirectUri = `javascript:alert(1)//"><script>alert(2)</script>`;
    const page = errorPage(
      view,
      { code: 'unregistered_redirect_uri', text: PAGE_ERRORS.unregistered_redirect_uri, details: { clientId: XSS[0], redirectUri, registered: [XSS[1]!] } },
      'req-1',
    ).toString();
    expect(page).not.toMatch(/<a [^>]*href="javascript/i);
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('is not registered for client');
  });
});

describe('login page', () => {
  it('escapes the values it echoes back', () => {
    const page = loginPage(view, {
      projectType: 'b2b',
      csrfToken: XSS[1]!,
      returnTo: XSS[1]!,
      email: XSS[0]!,
      organization: XSS[2]!,
      error: 'invalid_credentials',
    }).toString();
    expectInert(page);
    expect(page).toContain('name="organization"');
  });
});
