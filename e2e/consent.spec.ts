/**
 * The consent step, by kind of client (Stytch's rules, ST-CONSENT): third-party clients ask, first-party
 * clients do not, an answered question is not asked twice, and `offline_access` is asked for every time.
 */
import { test, expect } from './fixtures.ts';

test.describe('consent', () => {
  test('third-party confidential client: consent page, Allow, signed in with the scopes it asked for @b2b', async ({ flow, clientApp, pickClient, person }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    await flow.signIn(client, person, { consent: 'allow' });
    for (const scope of client.scopes) await expect(clientApp.grantedScopes()).toContainText(scope);
    await expect(clientApp.claim('email')).toContainText(person.email);
  });

  test('third-party client: Deny ends on the client with access_denied, nobody signed in @b2b', async ({ flow, clientApp, page, pickClient, person }) => {
    const client = pickClient({ firstParty: false, confidential: true });
    await flow.signIn(client, person, { consent: 'deny' });
    await clientApp.expectError('access_denied');
    await expect(page).toHaveURL(/\/callback\?error=access_denied&/);
    await clientApp.open();
    await expect(page.getByText('Signed in as')).toHaveCount(0);
  });

  test('first-party confidential client: no consent page', async ({ flow, pickClient, person }) => {
    const client = pickClient({ firstParty: true, confidential: true, consent: 'never' });
    await flow.signIn(client, person, { consent: 'not-shown' });
  });

  test('first-party public client (PKCE, no secret): no consent page @b2b', async ({ flow, clientApp, page, pickClient, person }) => {
    const client = pickClient({ firstParty: true, confidential: false, consent: 'never' });
    await flow.signIn(client, person, { consent: 'not-shown' });
    // A public client proves itself with the PKCE verifier only: no Authorization header at the token endpoint.
    await clientApp.openInspector();
    const tokenStep = clientApp.step('Token endpoint: authorization_code');
    await tokenStep.getByText('Request', { exact: true }).click();
    await expect(tokenStep.getByRole('row', { name: /code_verifier/ })).toBeVisible();
    await expect(tokenStep.getByRole('row', { name: /^authorization/i })).toHaveCount(0);
    await expect(page.getByRole('row', { name: /client_secret/ })).toHaveCount(0);
  });

  test('already consented: the second login skips the consent page @b2b', async ({ flow, clientApp, pickClient, person }) => {
    const client = pickClient({ consent: 'first-time' });
    await flow.signIn(client, person, { consent: 'allow' });
    await clientApp.logOut();
    // Still signed in at the Authorization URL, and the same scopes were granted before: straight back.
    await flow.signIn(client, person, { consent: 'not-shown', credentials: false });
  });

  test('offline_access is asked for on every login, even after consent', async ({ flow, clientApp, pickClient, person }) => {
    const client = pickClient({ consent: 'always' });
    expect(client.scopes).toContain('offline_access');
    await flow.signIn(client, person, { consent: 'allow' });
    await expect(clientApp.tokenFact('Refresh token')).not.toContainText('none');
    await clientApp.logOut();
    await flow.signIn(client, person, { consent: 'allow', credentials: false });
  });
});
