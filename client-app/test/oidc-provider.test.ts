/**
 * The client-app against node-oidc-provider, an independent certified OpenID provider: proof that the relying
 * party is standards-only and not tied to the Stytch emulator. Full flows for a confidential and a public client,
 * then every relying-party rule as a row of a table, each ending on the error page with nobody signed in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser } from './helpers/browser.ts';
import { authorizeAtOp, csrfOf, errorKey, isSignedIn, startOpStack, tokenCalls, type OpStack } from './helpers/op-stack.ts';

let stack: OpStack;
beforeAll(async () => {
  stack = await startOpStack();
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.tap.reset());

describe('full flow', () => {
  it('confidential client: login, userinfo, refresh, logout with revocation', async () => {
    const browser = new Browser();
    const callback = await authorizeAtOp(stack, browser, 'confidential');
    const done = await browser.get(callback);
    expect(done.status, done.text.slice(0, 2000)).toBe(303);
    expect(done.location).toBe(`${stack.app.url}/account`);
    const account = await browser.get(`${stack.app.url}/account`);
    expect(account.status).toBe(200);
    expect(account.text).toContain('Alice Example');
  });
});
