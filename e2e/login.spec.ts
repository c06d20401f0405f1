/** Signing in at the Authorization URL: the detour through the login page, and what a session there changes. */
import { test, expect } from './fixtures.ts';

test.describe('login at the Authorization URL', () => {
  test('not signed in: login page, then back to the consent page of the same authorization request @b2b', async ({
    clientApp,
    loginPage,
    consentPage,
    page,
    stack,
    pickClient,
    person,
  }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    const authorize = page.waitForRequest((r) => r.url().startsWith(stack.urls.authorizationUrl));
    await clientApp.startLogin(client.label);
    const original = new URL((await authorize).url());

    await loginPage.expectShown();
    const loginUrl = new URL(page.url());
    expect(loginUrl.origin).toBe(stack.urls.authServer);
    expect(loginUrl.searchParams.get('return_to')).toBe(`${original.pathname}${original.search}`);

    await loginPage.signIn(person);
    await consentPage.expectShown(client.name, person.email);
    const back = new URL(page.url());
    expect(back.pathname).toBe('/oauth/authorize');
    for (const name of ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'scope']) {
      expect(back.searchParams.get(name), name).toBe(original.searchParams.get(name));
    }
  });

  test('wrong password: the login page says so, and nothing is signed in @b2b', async ({ clientApp, loginPage, page, pickClient, person }) => {
    const client = pickClient({});
    await clientApp.startLogin(client.label);
    await loginPage.signIn({ ...person, password: `${person.password}-wrong` });
    await expect(loginPage.alert).toContainText('do not match an account');
    await expect(page).toHaveURL(/\/login$|\/login\?/);
    await expect(loginPage.email).toHaveValue(person.email);
    await expect(loginPage.password).toHaveValue('');
  });

  test('the demo account shown on the login page signs in @b2b', async ({ loginPage, clientApp, page, stack, pickClient }) => {
    test.skip(!stack.demo, 'The demo account exists in the local emulator only.');
    const demo = stack.demo!;
    const client = pickClient({ consent: 'never' });
    await clientApp.startLogin(client.label);
    const aside = page.getByRole('complementary');
    await expect(aside).toContainText(demo.email);
    await expect(aside).toContainText(demo.password);
    await loginPage.signIn(demo);
    await clientApp.expectSignedIn(demo.email, client.label);
  });

  test('signed in at the Authorization URL: another client skips the login page @b2b', async ({ flow, clientApp, stack, pickClient, person }) => {
    const first = pickClient({ firstParty: true, confidential: true, consent: 'never' });
    const second = stack.clients.find((c) => c.consent === 'never' && c.profileId !== first.profileId) ?? first;
    await flow.signIn(first, person, { consent: 'not-shown' });
    await clientApp.logOut();
    await flow.signIn(second, person, { consent: 'not-shown', credentials: false });
  });

  test('"Not you?" on the consent page signs out and asks to sign in again for the same request', async ({
    clientApp,
    loginPage,
    consentPage,
    pickClient,
    person,
  }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    await clientApp.startLogin(client.label);
    await loginPage.signIn(person);
    await consentPage.expectShown(client.name, person.email);
    await consentPage.notYouButton.click();
    await loginPage.signIn(person);
    await consentPage.expectShown(client.name, person.email);
    await consentPage.allow();
    await clientApp.expectSignedIn(person.email, client.label);
  });
});
