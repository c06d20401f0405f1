/**
 * Stytch's default project domain (its Connected Apps FAQ): the authorization response says
 * iss=stytch.com/{project_id} while discovery and tokens name the project domain. The client-app, an RFC 9207
 * client on openid-client, must stop there, and its error page names the fix: a custom domain. The demo runs in
 * custom-domain mode; this spec switches the worker's emulator to default-domain mode for one test.
 */
import { expect, test } from './fixtures.ts';

test.describe('default-domain mode', () => {
  test('the client-app refuses iss=stytch.com/{project_id} and explains the fix (a custom domain)', async ({
    stack,
    flow,
    clientApp,
    page,
    pickClient,
    person,
  }) => {
    test.skip(!stack.emulator, 'needs the local emulator (its domain mode is a setting of the emulated project)');
    const emulator = stack.emulator!;
    const client = pickClient({ confidential: true, consent: 'never' });
    emulator.ctx.updateSettings({ domain: 'default' });
    try {
      await clientApp.startLogin(client.label);
      await flow.loginPage.signIn(person);
      await clientApp.expectError('OAUTH_INVALID_RESPONSE');
      await expect(clientApp.errorPanel).toHaveAttribute('data-error-key', 'OAUTH_INVALID_RESPONSE:iss-default-domain');
      await expect(clientApp.errorPanel).toContainText('custom domain');
      await expect(page.locator('body')).toContainText(`stytch.com/${stack.project.projectId}`);
      await clientApp.open();
      await expect(page.getByText('Signed in as')).toHaveCount(0);
    } finally {
      emulator.ctx.updateSettings({ domain: 'custom' });
    }
  });
});
