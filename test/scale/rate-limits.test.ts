/**
 * The rate limits as the apps mount them (src/shared/rate-limit.ts, RATE_LIMITS): failed password logins on the
 * auth-server and failed callbacks on the client-app end on each app's own 429 page with `Retry-After`, and
 * from then on even a correct attempt waits (otherwise the limit would tell a guesser which guess was right).
 * One row per rule: the route, how a failure is provoked, and the code of the page that must follow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../../src/shared/rate-limit.ts';
import { demoLogin } from '../../src/shared/demo.ts';
import { Browser, type Page } from '../support/browser.ts';
import { randomSecret, signIn, startScaleStack, type ScaleStack } from './cluster.ts';

describe('rate limits mounted in the apps', () => {
  // A fresh stack per row: the counters are per client IP, and every request here comes from 127.0.0.1.
  let stack: ScaleStack;

  async function start(): Promise<void> {
    stack = await startScaleStack();
    const auth = await stack.startAuthServer('auth-server', { sessionSecret: randomSecret() });
    const client = await stack.startClientApp('client-app', { sessionSecret: randomSecret() });
    stack.authProxy.setBackends([auth.backend]);
    stack.clientProxy.setBackends([client.backend]);
  }

  afterEach(async () => {
    await stack?.close();
  });

  const rows: Array<{ rule: string; limit: number; fail: (b: Browser, i: number) => Promise<Page>; succeed: (b: Browser) => Promise<Page>; title: string }> = [
    {
      rule: 'auth-server POST /login (failed logins per IP)',
      limit: RATE_LIMITS.loginFailures.limit,
      // A different unknown account each time: the per-account limit of Stytch (the emulator) never triggers first.
      fail: async (b, i) => b.submit(await b.navigate(`${stack.authProxy.url}/login`), { email: `nobody-${i}@example.com`, password: 'wrong' }),
      succeed: async (b) => b.submit(await b.navigate(`${stack.authProxy.url}/login`), demoLogin(stack.seed)),
      title: 'Too many attempts',
    },
    {
      rule: 'client-app GET /callback (failed callbacks per IP)',
      limit: RATE_LIMITS.tokenFailures.limit,
      fail: (b) => b.navigate(`${stack.clientProxy.url}/callback?code=guess&state=guess`),
      // A complete, valid sign-in: its callback is refused too.
      succeed: (b) => signIn(b, stack),
      title: 'Too many attempts',
    },
  ];

  it.each(rows)('$rule: 429 page with Retry-After after the limit', async ({ limit, fail, succeed, title }) => {
    await start();
    const browser = new Browser();
    for (let i = 0; i < limit; i += 1) {
      const page = await fail(browser, i);
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(page.status).not.toBe(429);
    }
    const limited = await fail(browser, limit);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toMatch(/text\/html/);
    expect(limited.body).toContain(title);
    // The limited route stays closed for this client, even for a request that would succeed.
    const after = await succeed(browser);
    expect(after.status).toBe(429);
  });
});
