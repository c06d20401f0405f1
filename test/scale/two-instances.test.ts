/**
 * Scale-out: two auth-servers and two client-apps share one Redis and sit behind round-robin proxies with no
 * stickiness. The full authorization code flow must complete although consecutive requests of the one browser
 * land on different instances: the pending authorization (state, nonce, PKCE verifier), the login, the stored
 * authorization request and CSRF token, and the tokens all live in Redis, none in an instance's memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { Browser, type Hop } from '../support/browser.ts';
import { PUBLIC_PROFILE, randomSecret, signIn, startScaleStack, type ScaleStack } from './cluster.ts';

describe('two instances of each app on one Redis', () => {
  let redis: TestRedis;
  let stack: ScaleStack;

  beforeAll(async () => {
    redis = await startRedis();
    stack = await startScaleStack();
    // Every instance of an app gets the same environment, as replicas of one deployment do.
    const authEnv = { redisUrl: redis.url, sessionSecret: randomSecret() };
    // Pocket Notes (third-party public) gets rotating refresh tokens, for the concurrent refresh below.
    const clientEnv = { redisUrl: redis.url, sessionSecret: randomSecret(), publicClientRefresh: true };
    const auth = [await stack.startAuthServer('auth-server#1', authEnv), await stack.startAuthServer('auth-server#2', authEnv)];
    const client = [await stack.startClientApp('client-app#1', clientEnv), await stack.startClientApp('client-app#2', clientEnv)];
    stack.authProxy.setBackends(auth.map((i) => i.backend));
    stack.clientProxy.setBackends(client.map((i) => i.backend));
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  /** The instances that served the browser's requests to one app, in order. */
  const servedBy = (hops: Hop[], baseUrl: string) => hops.filter((h) => h.url.startsWith(`${baseUrl}/`)).map((h) => h.servedBy);

  it('completes the authorization code flow with every request on a different instance than the one before', async () => {
    const browser = new Browser();
    const landing = await signIn(browser, stack);

    expect(landing.status).toBe(200);
    expect(landing.url.startsWith(stack.clientProxy.url)).toBe(true);
    expect(landing.body).toContain('Ada');

    // Every step of the flow went through the proxies, in this order, then on to the signed-in page.
    const app = (url: string) => (url.startsWith(stack.authProxy.url) ? 'auth-server' : url.startsWith(stack.clientProxy.url) ? 'client-app' : url);
    const steps = browser.hops.map((h) => `${app(h.url)} ${h.method} ${new URL(h.url).pathname}`);
    expect(steps.slice(0, 7)).toEqual([
      'client-app GET /login',
      'auth-server GET /oauth/authorize',
      'auth-server GET /login',
      'auth-server POST /login',
      'auth-server GET /oauth/authorize', // the consent page
      'auth-server POST /oauth/authorize/submit',
      'client-app GET /callback',
    ]);
    expect(steps.at(-1)).toMatch(/^client-app GET /);
    for (const [app, url] of [
      ['auth-server', stack.authProxy.url],
      ['client-app', stack.clientProxy.url],
    ] as const) {
      const instances = servedBy(browser.hops, url);
      expect(instances.length, app).toBeGreaterThanOrEqual(2);
      expect(new Set(instances), app).toEqual(new Set([`${app}#1`, `${app}#2`]));
      instances.slice(1).forEach((name, i) => {
        expect(name, `${app} request ${i + 2}`).not.toBe(instances[i]);
      });
    }
    // The step that needs the most shared state: the callback (pending state from /login on the other instance).
    const callback = browser.hops.find((h) => new URL(h.url).pathname === '/callback');
    const start = browser.hops.find((h) => h.url.startsWith(`${stack.clientProxy.url}/login`));
    expect(callback?.servedBy).toBeDefined();
    expect(callback?.servedBy).not.toBe(start?.servedBy);
  });

  it('keeps the person signed in on both client-app instances afterwards', async () => {
    const browser = new Browser();
    await signIn(browser, stack);
    const first = await browser.navigate(`${stack.clientProxy.url}/account`);
    const second = await browser.navigate(`${stack.clientProxy.url}/account`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toContain('ada@example.com');
    expect(second.body).toContain('ada@example.com');
    const [a, b] = browser.hops.slice(-2).map((h) => h.servedBy);
    expect(a).not.toBe(b);
  });

  /**
   * Regression: the client-app serialised the refreshes of one session with a per-process lock only. Two
   * instances refreshing one session at once both sent the same refresh token; a public client's token rotates
   * with reuse detection, so one got `invalid_grant` and the person was signed out. With REDIS_URL the lock is
   * in Redis (client-app/src/web/session-lock.ts).
   */
  it('two refreshes of one session at once, one on each client-app instance, both end signed in', async () => {
    const browser = new Browser();
    await signIn(browser, stack, PUBLIC_PROFILE);
    const account = await browser.navigate(`${stack.clientProxy.url}/account`);
    expect(account.status).toBe(200);
    const before = browser.hops.length;
    const [a, b] = await Promise.all([browser.submit(account, {}, { action: /\/refresh$/ }), browser.submit(account, {}, { action: /\/refresh$/ })]);
    // Each POST went to another instance (round robin, no stickiness).
    const posts = browser.hops.slice(before).filter((h) => h.method === 'POST');
    expect(posts.map((h) => h.status)).toEqual([303, 303]);
    expect(new Set(posts.map((h) => h.servedBy))).toEqual(new Set(['client-app#1', 'client-app#2']));
    for (const page of [a, b]) {
      expect(page.url).toBe(`${stack.clientProxy.url}/account`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('ada@example.com');
    }
    // The second refresh used the token the first one rotated in: the session is still good afterwards.
    const after = await browser.navigate(`${stack.clientProxy.url}/account`);
    expect([after.status, after.body.includes('ada@example.com')]).toEqual([200, true]);
  });
});
