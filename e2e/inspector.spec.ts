/** The flow inspector lists every step of the login, each with what was sent, received and checked. */
import { test, expect } from './fixtures.ts';

test('the flow inspector shows each step of the login @b2b', async ({ flow, clientApp, page, pickClient, person }) => {
  const client = pickClient({ firstParty: false, confidential: true });
  await flow.signIn(client, person, { consent: 'allow' });
  await clientApp.openInspector();
  await expect(page.locator('main .lead')).toContainText('Signed in');

  // Discovery and JWKS appear only when the client-app fetched them for this login (they are cached).
  const steps = (await clientApp.stepTitles()).filter((t) => t !== 'Discovery' && t !== 'JWKS (signing keys)');
  expect(steps).toEqual([
    `Authorization request to ${client.label}'s provider`,
    'Callback from the provider',
    'Token endpoint: authorization_code',
    'ID token validated',
    'UserInfo endpoint',
    'UserInfo (same sub as the ID token)',
    'Signed in',
  ]);
  await expect(page.locator('ol.timeline > li.step-failed')).toHaveCount(0);

  const request = clientApp.step(/^Authorization request/);
  for (const name of ['state', 'nonce', 'code_challenge']) await expect(request.getByRole('row', { name: new RegExp(`^${name}\\b`) })).toBeVisible();
  await expect(request.getByRole('row', { name: /^code_challenge_method/ })).toContainText('S256');

  const callback = clientApp.step('Callback from the provider');
  for (const name of ['code', 'state', 'iss']) await expect(callback.getByRole('row', { name: new RegExp(`^${name}\\b`) })).toBeVisible();

  // Every ID token check passed (and the signature was actually checked).
  const idToken = clientApp.step('ID token validated');
  await expect(idToken.getByText('accepted', { exact: true })).toBeVisible();
  await expect(idToken.locator('tr.check-fail')).toHaveCount(0);
  await expect(idToken.locator('tr.check-pass')).not.toHaveCount(0);
});
