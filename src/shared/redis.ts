/**
 * Everything of the apps that talks to Redis (`REDIS_URL`): the connection, the session store and the rate
 * limiter's counters. It is the one module that imports `redis`, `connect-redis` and `rate-limit-redis`, and
 * session.ts and rate-limit.ts import it (`await import('./redis.ts')`) only when a `REDIS_URL` is set: those
 * packages (`@redis/client` ships large source maps) cost ~100 ms of start CPU and 12-17 MiB of memory in every
 * process, and the embedded default never uses them. Everything else imports only its types
 * (.dependency-cruiser.cjs: `redis-only-when-used`).
 */
import { RedisStore as ConnectRedisStore } from 'connect-redis';
import type { Store as RateLimitStore } from 'express-rate-limit';
import { RedisStore as RateLimitRedisStore, type RedisReply } from 'rate-limit-redis';
import { createClient } from 'redis';
import type { Logger } from './log.ts';
import type { SessionAttachment } from './session.ts';

/** A connected Redis client, as `connectRedis` makes it. */
export type RedisConnection = ReturnType<typeof newClient>;

function newClient(url: string) {
  return createClient({ url });
}

/** Connects to `url`; errors after that (a lost connection: the client reconnects) are logged as `<what> error`. */
export async function connectRedis(url: string, log: Pick<Logger, 'error'>, what: string): Promise<RedisConnection> {
  const client = newClient(url);
  client.on('error', (err: Error) => log.error({ err: err.message }, `${what} error`));
  await client.connect();
  return client;
}

type Callback = (err?: unknown) => void;

/** connect-redis, with the session's attachments (`<prefix>:att:<name>:<sid>`) deleted with the session. */
export class RedisSessionStore extends ConnectRedisStore {
  private readonly attachmentKeys = new Map<string, (sid: string) => string>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly appPrefix: string,
  ) {
    super({ client: redis, prefix: `${appPrefix}:sess:` });
  }

  attachment(name: string): SessionAttachment {
    const key = (sid: string) => `${this.appPrefix}:att:${name}:${sid}`;
    this.attachmentKeys.set(name, key);
    return {
      get: async (sid) => (await this.redis.get(key(sid))) ?? undefined,
      set: async (sid, value, expiresAt) => {
        const ms = expiresAt - Date.now();
        if (ms > 0) await this.redis.set(key(sid), value, { expiration: { type: 'PX', value: ms } });
        else await this.redis.del(key(sid));
      },
    };
  }

  override async destroy(sid: string, cb?: Callback): Promise<void> {
    try {
      await this.redis.del([this.prefix + sid, ...[...this.attachmentKeys.values()].map((key) => key(sid))]);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }
}

/** A rate limiter's counters under `prefix`, shared by every instance on this Redis. */
export function rateLimitStore(redis: RedisConnection, prefix: string): RateLimitStore {
  return new RateLimitRedisStore({ sendCommand: (...args: string[]) => redis.sendCommand(args) as Promise<RedisReply>, prefix });
}
