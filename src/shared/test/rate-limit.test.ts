import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test/support/redis.ts';
import { CodedError } from '../errors.ts';
import { html } from '../html.ts';
import { listen, type Listening } from '../http.ts';
import { createLogger } from '../log.ts';
import { RATE_LIMITS, createRateLimiter, keyByIpAnd, type RateLimiter, type RateLimitRule } from '../rate-limit.ts';

const log = createLogger('rate-limit-test', 'silent');

/** What an app passes: its own 429 page, escaped like every page. */
const page = (_req: express.Request, res: express.Response, _next: express.NextFunction, info: { retryAfterSeconds: number }) => {
  res.type('html').send(html`<h1>Too many attempts</h1><p>Try again in ${Math.ceil(info.retryAfterSeconds / 60)} minutes.</p>`.toString());
};

/** A login-like route: 200 for the right password, 502 when "Stytch is down", 401 otherwise. */
function loginApp(limiter: RateLimiter, rule: RateLimitRule): Express {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/login', limiter.limit(rule), (req, res) => {
    const password = req.body?.password;
    if (password === 'slow') {
      setTimeout(() => res.status(200).send('done'), 300);
      return;
    }
    res.status(password === 'right' ? 200 : password === 'outage' ? 502 : 401).send('done');
  });
  return app;
}

const post = (server: Listening, body: Record<string, string>) => fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams(body) });

async function statuses(server: Listening, n: number, body: Record<string, string>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await post(server, body)).status);
  return out;
}

describe('rate limiter (memory store)', () => {
  const servers: Listening[] = [];
  const limiters: RateLimiter[] = [];
  const start = async (rule: RateLimitRule, options: { dangerouslyDisableRateLimits?: boolean } = {}) => {
    const limiter = await createRateLimiter({ app: 'test', log, onLimited: page, ...options });
    limiters.push(limiter);
    const server = await listen(loginApp(limiter, rule), { port: 0, host: '127.0.0.1' });
    servers.push(server);
    return { limiter, server };
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(limiters.map((l) => l.close()));
  });

  it('answers the request over the limit with 429, Retry-After and the app page', async () => {
    const { limiter, server } = await start({ name: 'all', windowMs: 60_000, limit: 2 });
    expect(limiter.kind).toBe('memory');
    expect(await statuses(server, 2, { password: 'right' })).toEqual([200, 200]);
    const limited = await post(server, { password: 'right' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-policy')).toMatch(/^"all"; q=2; w=60/);
    expect(limited.headers.get('content-type')).toMatch(/text\/html/);
    expect(await limited.text()).toContain('Too many attempts');
  });

  it('with failuresOnly, never throttles successful logins or outages, but stops guessing', async () => {
    const { server } = await start({ name: 'failures', windowMs: 60_000, limit: 3, failuresOnly: true });
    expect(await statuses(server, 6, { password: 'right' })).toEqual([200, 200, 200, 200, 200, 200]);
    // 5xx is the server's (or Stytch's) failure, not the client's: people are not locked out after an outage.
    expect(await statuses(server, 5, { password: 'outage' })).toEqual([502, 502, 502, 502, 502]);
    expect(await statuses(server, 4, { password: 'wrong' })).toEqual([401, 401, 401, 429]);
    // Once limited, even the right password waits: otherwise the limit would tell a guesser when it guessed right.
    expect((await post(server, { password: 'right' })).status).toBe(429);
  });

  it('regression: a burst of successful requests from one address locked it out for the whole window', async () => {
    const { server } = await start({ name: 'burst', windowMs: 60_000, limit: 3, failuresOnly: true });
    // Six at once: those in flight count, so some get 429 — but a 429 is not a failure of the client's.
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(server, { password: 'slow' })));
    expect(burst.map((r) => r.status).filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(await statuses(server, 4, { password: 'right' })).toEqual([200, 200, 200, 200]);
    // Guessing is still stopped.
    expect(await statuses(server, 4, { password: 'wrong' })).toEqual([401, 401, 401, 429]);
  });

  it('keys per IP and account with keyByIpAnd, so one account under attack does not lock out another', async () => {
    const rule = { name: 'per-account', windowMs: 60_000, limit: 2, failuresOnly: true, key: keyByIpAnd((req) => req.body?.email) };
    const { server } = await start(rule);
    expect(await statuses(server, 3, { email: 'Alice@example.com', password: 'wrong' })).toEqual([401, 401, 429]);
    expect((await post(server, { email: 'alice@example.com', password: 'right' })).status).toBe(429);
    expect((await post(server, { email: 'bob@example.com', password: 'right' })).status).toBe(200);
  });

  it('lets the app hand a coded error to its one error handler instead of rendering in the callback', async () => {
    class TooMany extends CodedError<'rate_limited'> {
      constructor(readonly retryAfterSeconds: number) {
        super('rate_limited', 'too many attempts');
      }
    }
    const limiter = await createRateLimiter({ app: 'test', log, onLimited: (_req, _res, next, info) => next(new TooMany(info.retryAfterSeconds)) });
    limiters.push(limiter);
    const app = loginApp(limiter, { name: 'coded', windowMs: 60_000, limit: 1 });
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const status = err instanceof TooMany ? 429 : 500;
      res
        .status(status)
        .type('html')
        .send(html`<h1>${err instanceof CodedError ? err.code : 'error'}</h1>`.toString());
    });
    const server = await listen(app, { port: 0, host: '127.0.0.1' });
    servers.push(server);
    expect(await statuses(server, 1, { password: 'right' })).toEqual([200]);
    const limited = await post(server, { password: 'right' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toBe('<h1>rate_limited</h1>');
  });

  it('ships defaults that count failures only', () => {
    for (const rule of Object.values(RATE_LIMITS)) {
      expect(rule.failuresOnly).toBe(true);
      expect(rule.limit).toBeGreaterThan(0);
    }
  });

  it('can be turned off only through the loudly named option, which logs a warning', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const limiter = await createRateLimiter({ app: 'test', log: pino({ level: 'warn' }, sink), onLimited: page, dangerouslyDisableRateLimits: true });
    const server = await listen(loginApp(limiter, { name: 'off', windowMs: 60_000, limit: 1 }), { port: 0, host: '127.0.0.1' });
    servers.push(server);
    expect(limiter.kind).toBe('disabled');
    expect(await statuses(server, 3, { password: 'wrong' })).toEqual([401, 401, 401]);
    expect(lines.join('')).toMatch(/rate limits are disabled/);
  });
});

describe('rate limiter (Redis store, several instances)', () => {
  let redis: TestRedis;
  const servers: Listening[] = [];
  const limiters: RateLimiter[] = [];
  const instance = async (app: string, rule: RateLimitRule) => {
    const limiter = await createRateLimiter({ app, redisUrl: redis.url, log, onLimited: page });
    limiters.push(limiter);
    const server = await listen(loginApp(limiter, rule), { port: 0, host: '127.0.0.1' });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(limiters.map((l) => l.close()));
    await redis?.stop();
  });

  it('shares one counter between the instances of an app, so N instances do not allow N times the limit', async () => {
    const rule = { name: 'shared', windowMs: 60_000, limit: 3, failuresOnly: true };
    const a = await instance('auth-server', rule);
    const b = await instance('auth-server', rule);
    expect(limiters.at(-1)?.kind).toBe('redis');
    expect((await post(a, { password: 'wrong' })).status).toBe(401);
    expect((await post(b, { password: 'wrong' })).status).toBe(401);
    expect((await post(a, { password: 'wrong' })).status).toBe(401);
    const limited = await post(b, { password: 'wrong' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Too many attempts');
  });

  it('keeps the counters of different apps apart', async () => {
    const rule = { name: 'apart', windowMs: 60_000, limit: 1, failuresOnly: true };
    const auth = await instance('auth-server', rule);
    const client = await instance('client-app', rule);
    expect(await statuses(auth, 2, { password: 'wrong' })).toEqual([401, 429]);
    expect((await post(client, { password: 'wrong' })).status).toBe(401);
  });
});
