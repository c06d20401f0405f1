/**
 * Two auth-server instances behind a load balancer share sessions through Redis (docs/production.md, "Redis for
 * sessions and rate limits"): a person signs in on one, sees the consent page on the other and answers it on the first.
 * Skipped when redis-server is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hiddenField } from '../../../test/support/browser.ts';
import { redisServerAvailable, startRedis, type TestRedis } from '../../../test/support/redis.ts';
import { authorizePath, REDIRECT_URI, startAuthServer, startStack, type AuthServer, type Stack } from './helpers.ts';

const hasRedis = redisServerAvailable();

describe.skipIf(!hasRedis)('two instances sharing Redis sessions', () => {
  let redis: TestRedis;
  let stack: Stack;
  let second: AuthServer;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, AUTH_SERVER_SESSION_SECRET: 'a-shared-session-secret-of-at-least-32-chars' };
    stack = await startStack('consumer', { authServerEnv: env });
    second = await startAuthServer('consumer', stack.emulator.url, { env });
  });
  afterAll(async () => {
    await second?.close();
    await stack?.close();
    await redis?.stop();
  });

  it('signs in on one instance and finishes the consent on the other', async () => {
    const first = new Browser(stack.authServer.url);
    const login = await first.get('/login');
    const signedIn = await first.post('/login', {
      _csrf: hiddenField(login, '_csrf'),
      return_to: '/',
      email: stack.login.email,
      password: stack.login.password,
    });
    expect(signedIn.status).toBe(303);

    // Same browser, same cookie, other instance (both are on localhost: one cookie jar).
    const other = new Browser(second.url);
    other.setCookie('auth_sid', first.cookie('auth_sid')!);
    const consent = await other.get(authorizePath(stack.clients.thirdParty, { state: 'lb', prompt: 'consent' }));
    expect(consent.status).toBe(200);
    expect(consent.body).toContain(stack.login.email);

    const res = await first.post('/oauth/authorize/submit', {
      _csrf: hiddenField(consent, '_csrf'),
      transaction_id: hiddenField(consent, 'transaction_id'),
      decision: 'allow',
    });
    expect(res.status).toBe(303);
    const url = new URL(res.location!);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('lb');
    expect(url.searchParams.get('code')).toBeTruthy();
  });
});
