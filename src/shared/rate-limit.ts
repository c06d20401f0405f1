/**
 * Rate limits for the routes an attacker would hammer: password login (guessing, credential stuffing) and the
 * routes that make a token request (callback, refresh, logout/revocation). One factory for both apps:
 *
 * - no `REDIS_URL`: counters in process memory (one instance; a restart resets them);
 * - `REDIS_URL`: counters in Redis (`rate-limit-redis`), shared by every instance behind the load balancer,
 *   so that N instances do not multiply the limit by N.
 *
 * Limits count client failures (4xx) by default (`failuresOnly`): a person who signs in successfully, or the throughput
 * benchmark running complete flows, is never throttled; a client that keeps failing is (cat. AS-40).
 * The app renders the 429 page through `onLimited`; this module sets the status and `Retry-After` (AS-15).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from './log.ts';

export interface RateLimitRule {
  /** Names the counter: the `RateLimit` header's policy name, the Redis key prefix, the log line. */
  name: string;
  windowMs: number;
  /** Requests (or failures, with `failuresOnly`) allowed per key per window; the next one gets 429. */
  limit: number;
  /**
   * Count only the client's failures: responses with a 4xx status other than 429. Successes and 5xx (our fault,
   * or the provider's, like an unreachable Stytch) never count, so an outage does not lock people out afterwards.
   * Requests still in flight count until they end (that bounds parallel guessing).
   */
  failuresOnly?: boolean;
  /** The counter key; default: the client IP (IPv6 grouped by /56). Use `keyByIpAnd` to add e.g. the account. */
  key?: (req: Request) => string;
}

/** Defaults the apps start from; override `limit`/`windowMs` per deployment. */
export const RATE_LIMITS = {
  /** Failed password logins per IP (auth-server POST /login). */
  loginFailures: { name: 'login-failures', windowMs: 15 * 60_000, limit: 20, failuresOnly: true },
  /** Failed token-facing requests per IP (client-app /callback, refresh, logout; auth-server consent submit). */
  tokenFailures: { name: 'token-failures', windowMs: 15 * 60_000, limit: 30, failuresOnly: true },
} as const satisfies Record<string, RateLimitRule>;

export interface RateLimitedInfo {
  rule: string;
  limit: number;
  windowMs: number;
  /** Seconds until the window resets, also sent as `Retry-After`. */
  retryAfterSeconds: number;
}

/**
 * Renders the 429 page, or passes a coded error to `next` for the app's one error handler to render.
 * The status (429) and `Retry-After` are already set when it runs.
 */
export type RateLimitedHandler = (req: Request, res: Response, next: NextFunction, info: RateLimitedInfo) => void;

export interface RateLimiterOptions {
  /** Key prefix in Redis, so that apps sharing one Redis keep separate counters, e.g. `auth-server`. */
  app: string;
  redisUrl?: string | undefined;
  log: Logger;
  onLimited: RateLimitedHandler;
  /** Turns every limit off, for load tests only. Logged as a warning at start. */
  dangerouslyDisableRateLimits?: boolean;
}

export interface RateLimiter {
  kind: 'memory' | 'redis' | 'disabled';
  /** Middleware for one rule. Create it once and mount it on every route it covers: the routes share the counter. */
  limit(rule: RateLimitRule): RequestHandler;
  close(): Promise<void>;
}

/** A key made of the client IP and something from the request (e.g. the submitted email), for per-account limits. */
export function keyByIpAnd(part: (req: Request) => string | undefined): (req: Request) => string {
  return (req) => `${ipKeyGenerator(req.ip ?? 'unknown')}|${(part(req) ?? '').toLowerCase().slice(0, 256)}`;
}

export async function createRateLimiter(options: RateLimiterOptions): Promise<RateLimiter> {
  const { app, log, onLimited } = options;

  if (options.dangerouslyDisableRateLimits) {
    log.warn({ app }, 'DANGER: rate limits are disabled (dangerouslyDisableRateLimits). Never do this in production.');
    const pass: RequestHandler = (_req, _res, next) => next();
    return { kind: 'disabled', limit: () => pass, close: async () => {} };
  }

  // One store per rule (express-rate-limit refuses a store shared by two limiters); all of them stopped by close().
  const stores: Store[] = [];
  let storeFor: (rule: RateLimitRule) => Store = () => new MemoryStore();
  let closeClient = async (): Promise<void> => {};
  if (options.redisUrl) {
    // Loaded only here: see redis.ts.
    const { connectRedis, rateLimitStore } = await import('./redis.ts');
    const client = await connectRedis(options.redisUrl, log, 'redis rate-limit store');
    storeFor = (rule) => rateLimitStore(client, `${app}:rl:${rule.name}:`);
    closeClient = async () => {
      await client.quit();
    };
  }
  log.info({ store: options.redisUrl ? 'redis' : 'memory' }, 'rate limiter ready');

  return {
    kind: options.redisUrl ? 'redis' : 'memory',
    limit(rule) {
      const store = storeFor(rule);
      stores.push(store);
      return rateLimit({
        windowMs: rule.windowMs,
        limit: rule.limit,
        skipSuccessfulRequests: rule.failuresOnly ?? false,
        // express-rate-limit counts a request when it starts and takes it back when it "succeeded": requests in
        // flight count. A 429 (a burst from one address, e.g. an office behind one NAT) must not count as a
        // failure as well, or the burst would lock that address out for the whole window.
        requestWasSuccessful: (_req, res) => res.statusCode < 400 || res.statusCode >= 500 || res.statusCode === 429,
        // IETF RateLimit headers (draft-8) name the policy; with them, a limited response also gets Retry-After.
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: rule.name,
        ...(rule.key ? { keyGenerator: rule.key } : {}),
        store,
        logger: {
          error: (err, message) => log.error({ err: err instanceof Error ? err.message : String(err) }, message ?? 'rate limiter error'),
          warn: (err, message) => log.warn({ err: err instanceof Error ? err.message : String(err) }, message ?? 'rate limiter warning'),
        },
        handler: (req, res, next) => {
          const retryAfterSeconds = Number(res.getHeader('Retry-After') ?? Math.ceil(rule.windowMs / 1000));
          // The key is the IP (or IP and account): log the rule, not the key.
          (req.log ?? log).warn({ rule: rule.name, limit: rule.limit }, 'rate limit exceeded');
          res.status(429);
          onLimited(req, res, next, { rule: rule.name, limit: rule.limit, windowMs: rule.windowMs, retryAfterSeconds });
        },
      });
    },
    async close() {
      await Promise.all(stores.map((store) => store.shutdown?.()));
      await closeClient();
    },
  };
}
