/**
 * What must fail, fails safely: the Authorization URL refuses to redirect to an unregistered URI, and the
 * client-app refuses ID tokens that the emulator tampers with on purpose (fault injection, one row per rule).
 */
import { test, expect } from './fixtures.ts';
import type { FaultScenario } from './faults.ts';

test.describe('Authorization URL errors', () => {
  test('unregistered redirect_uri: an error page at the Authorization URL, no redirect @b2b', async ({
    authErrorPage,
    loginPage,
    page,
    stack,
    pickClient,
    person,
  }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    const evil = 'https://evil.example/callback';
    const url = new URL(stack.urls.authorizationUrl);
    url.search = new URLSearchParams({ client_id: client.clientId, redirect_uri: evil, response_type: 'code', scope: 'openid', state: 'e2e-state' }).toString();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));

    // Nobody is signed in yet: the auth-server may only send the browser to its own login page first.
    await page.goto(url.href);
    await loginPage.expectShown();
    const answer = page.waitForResponse((r) => r.url() === url.href);
    await loginPage.signIn(person);
    expect((await answer).status()).toBe(400);
    await authErrorPage.expectCode('unregistered_redirect_uri');
    await expect(page).toHaveURL(url.href);
    expect(requested.filter((u) => u.startsWith('https://evil.example'))).toEqual([]);
    // The attacker's URI is shown as text, never as a link.
    await expect(page.getByText(evil, { exact: false }).first()).toBeVisible();
    await expect(page.locator(`a[href^="${evil}"]`)).toHaveCount(0);
  });

  test('unknown client_id: an error page, no redirect', async ({ authErrorPage, loginPage, page, stack, clientApp, person }) => {
    const url = new URL(stack.urls.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: 'connected-app-test-00000000-0000-4000-8000-00000000dead',
      redirect_uri: `${clientApp.baseUrl}/callback`,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    await page.goto(url.href);
    const answer = page.waitForResponse((r) => r.url() === url.href);
    await loginPage.signIn(person);
    expect((await answer).status()).toBe(400);
    await authErrorPage.expectCode('unknown_client');
    await expect(page).toHaveURL(url.href);
  });

  test('a hostile state is never run as script on the way through login and consent', async ({
    clientApp,
    loginPage,
    consentPage,
    page,
    stack,
    pickClient,
    person,
  }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const url = new URL(stack.urls.authorizationUrl);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: `${clientApp.baseUrl}/callback`,
      response_type: 'code',
      scope: 'openid email',
      state: '"><svg onload=alert(4)><script>alert(5)</script>',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    await page.goto(url.href);
    await loginPage.signIn(person);
    await consentPage.expectShown(client.name, person.email);
    expect(dialogs).toEqual([]);
  });
});

/** One row per ID token rule: the fault the emulator injects, and the check the client-app reports failing. */
// The client-app's checks do not depend on the project type, so these run against the Consumer stack only.
const TAMPERED_ID_TOKENS: Array<{ fault: FaultScenario; key: string }> = [
  { fault: 'invalid-sig-rs256', key: 'OAUTH_INVALID_RESPONSE:signature' },
  { fault: 'invalid-iss', key: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss' },
  { fault: 'nonce-invalid', key: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce' },
  { fault: 'expired', key: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp' },
];

test.describe('the client rejects a tampered ID token', () => {
  for (const { fault, key } of TAMPERED_ID_TOKENS) {
    test(`${fault} → ${key}`, async ({ flow, clientApp, faults, page, pickClient, person }) => {
      const client = pickClient({ confidential: true, consent: 'never' });
      await faults.inject(client.clientId, [fault]);
      await clientApp.startLogin(client.label);
      await flow.loginPage.signIn(person);
      await clientApp.expectError(key.split(':')[0]!);
      await expect(clientApp.errorPanel).toHaveAttribute('data-error-key', key);
      await expect(page.locator('ol.timeline > li.step-failed').first()).toBeVisible();
      await clientApp.open();
      await expect(page.getByText('Signed in as')).toHaveCount(0);
    });
  }

  test('a refreshed ID token for another person → ERR_REFRESHED_ID_TOKEN_MISMATCH', async ({ flow, clientApp, faults, pickClient, person }) => {
    const client = pickClient({ consent: 'always' });
    await flow.signIn(client, person, { consent: 'allow' });
    await faults.inject(client.clientId, ['refresh-invalid-sub']);
    await clientApp.refreshTokens();
    await clientApp.expectError('ERR_REFRESHED_ID_TOKEN_MISMATCH');
  });
});
