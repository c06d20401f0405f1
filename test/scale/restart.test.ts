/**
 * Restart: a person signs in, the client-app is stopped and a new instance started on the same session store
 * (the embedded SQLite file, then Redis), and the person is still signed in, with tokens that still work.
 * The new instance sits behind the same public URL (the proxy), as after a deploy or a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { Browser } from '../support/browser.ts';
import { randomSecret, signIn, startScaleStack, type AppEnvironment, type ScaleStack } from './cluster.ts';

describe.each(['sqlite', 'redis'] as const)('client-app restart with the %s session store', (kind) => {
  let redis: TestRedis | undefined;
  let dir: string;
  let stack: ScaleStack;
  let clientEnv: AppEnvironment;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'restart-test-'));
    if (kind === 'redis') redis = await startRedis();
    stack = await startScaleStack();
    const auth = await stack.startAuthServer('auth-server', { sessionSecret: randomSecret() });
    stack.authProxy.setBackends([auth.backend]);
    clientEnv =
      kind === 'redis'
        ? { redisUrl: redis?.url, sessionSecret: randomSecret() }
        : // No secret configured: the one generated next to the session file on first start must be reused.
          { dataDir: dir };
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the person signed in, with usable tokens, across a restart', async () => {
    const before = await stack.startClientApp('client-app (before restart)', clientEnv);
    stack.clientProxy.setBackends([before.backend]);
    const browser = new Browser();
    const landing = await signIn(browser, stack);
    expect(landing.status).toBe(200);
    expect(landing.body).toContain('ada@example.com');

    await before.close();
    const after = await stack.startClientApp('client-app (after restart)', clientEnv);
    stack.clientProxy.setBackends([after.backend]);

    const account = await browser.navigate(`${stack.clientProxy.url}/account`);
    expect(browser.hops.at(-1)?.servedBy).toBe('client-app (after restart)');
    expect(account.status).toBe(200);
    expect(account.body).toContain('ada@example.com');

    // The tokens came back from the store too: a refresh through the provider succeeds.
    const refreshed = await browser.submit(account, {}, { action: /^\/refresh$/ });
    const refresh = browser.hops.find((h) => h.method === 'POST' && new URL(h.url).pathname === '/refresh');
    expect(refresh?.status).toBe(303);
    expect(refreshed.status).toBe(200);
    expect(new URL(refreshed.url).pathname).toBe('/account');
    expect(refreshed.body).toContain('ada@example.com');

    // The flow inspector's timeline, kept beside the session, came back too, and goes with it at logout.
    const inspector = await browser.navigate(`${stack.clientProxy.url}/inspector`);
    expect(inspector.body).toContain('ID token validated');
    expect(inspector.body).toContain('Tokens refreshed');
    expect(await timelinesStored()).toBe(1);
    await browser.submit(await browser.navigate(`${stack.clientProxy.url}/account`), {}, { action: /^\/logout$/ });
    expect(await timelinesStored()).toBe(0);
  });

  /** How many flow inspector timelines the client-app's session store holds. */
  async function timelinesStored(): Promise<number> {
    if (redis) {
      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        return (await client.keys('client-app:att:timeline:*')).length;
      } finally {
        await client.quit();
      }
    }
    const db = new Database(join(dir, 'client-app-sessions.db'), { readonly: true });
    try {
      return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM session_attachments WHERE name = 'timeline'").get()?.n ?? 0;
    } finally {
      db.close();
    }
  }
});
