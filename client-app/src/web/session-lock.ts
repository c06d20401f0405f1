/**
 * Serialises token-changing actions per session. Public clients get a new refresh token on every refresh, and
 * presenting the old one again makes the provider revoke the whole grant (reuse detection), so two refreshes of
 * one session must never overlap (double click, two tabs). Inside the lock the session is re-read from the store,
 * so the second action sees the first one's tokens.
 *
 * Two levels: a queue per session in this process, and with REDIS_URL a lock in Redis shared by every instance
 * (`SET key token NX PX ttl`, released only by its holder). The Redis lock expires after `ttlMs`, so an instance
 * that dies while holding it blocks the session for that long at most.
 */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { RedisConnection } from '../../../src/shared/session.ts';

export type SessionLock = <T>(req: Request, fn: () => Promise<T>) => Promise<T>;

type Redis = Pick<RedisConnection, 'set' | 'eval'>;

export interface SessionLockOptions {
  /** The session store's Redis client, when sessions are shared by several instances. */
  redis?: Redis | undefined;
  /** Key prefix in Redis (the app's own, like its session keys). */
  prefix: string;
  /** Longest time one action may hold the lock: longer than the action's own timeouts. */
  ttlMs: number;
}

/** How often a waiting instance tries the Redis lock again. */
const RETRY_MS = 25;
/** Deletes the key only if it still holds our token: an expired lock taken over by another is not ours to free. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

type Release = () => Promise<void>;

function redisLock(redis: Redis, prefix: string, ttlMs: number): (sessionId: string) => Promise<Release> {
  return async (sessionId) => {
    const key = `${prefix}${sessionId}`;
    const token = randomUUID();
    // Waits at most until the holder releases it or its lock expires (ttlMs).
    while ((await redis.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) !== 'OK') {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
    }
    return async () => {
      await redis.eval(RELEASE, { keys: [key], arguments: [token] });
    };
  };
}

const noRelease: Release = async () => {};

export function createSessionLock(options: SessionLockOptions): SessionLock {
  const tails = new Map<string, Promise<unknown>>();
  const acquire = options.redis ? redisLock(options.redis, options.prefix, options.ttlMs) : async () => noRelease;
  return async (req, fn) => {
    const id = req.sessionID;
    const previous = tails.get(id) ?? Promise.resolve();
    const run = previous.then(async () => {
      const release = await acquire(id);
      try {
        await new Promise<void>((resolve, reject) => req.session.reload((err: unknown) => (err ? reject(err) : resolve())));
        return await fn();
      } finally {
        await release();
      }
    });
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    try {
      return await run;
    } finally {
      if (tails.get(id) === tail) tails.delete(id);
    }
  };
}
