/** After login, from the client-app's UI: refresh the tokens, log out. */
import { test, expect } from './fixtures.ts';

test.describe('signed-in session', () => {
  test('refresh from the UI: new tokens for the same person @b2b', async ({ flow, clientApp, pickClient, person }) => {
    const client = pickClient({ consent: 'always' });
    await flow.signIn(client, person, { consent: 'allow' });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (the rendered text), not the DOM property
    const sub = await clientApp.claim('sub').innerText();
    await expect(clientApp.tokenFact('Last refresh')).toHaveText('not yet');

    await clientApp.refreshTokens();
    await expect(clientApp.tokenFact('Last refresh')).not.toHaveText('not yet');
    await expect(clientApp.claim('sub')).toHaveText(sub);
    await clientApp.openInspector();
    await expect(clientApp.step('Token endpoint: refresh_token')).toContainText('OK');
    await expect(clientApp.step('Refreshed ID token validated')).toContainText('OK');
  });

  test('logout from the UI revokes the tokens and ends the session @b2b', async ({ flow, clientApp, page, pickClient, person }) => {
    const client = pickClient({ consent: 'always' });
    await flow.signIn(client, person, { consent: 'allow' });
    await clientApp.logOut();
    await expect(clientApp.status).toContainText('The refresh and access tokens were revoked at the provider');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' })).toHaveCount(0);
    await page.goto(`${clientApp.baseUrl}/account`);
    await clientApp.expectError('ERR_NOT_SIGNED_IN');
  });
});
