/**
 * Server-side sessions for both apps: one place that picks the store and sets the cookie flags.
 *
 * - Embedded (default): a SQLite file, so a restart loses no session.
 * - Redis (`REDIS_URL`): shared by several instances behind a load balancer.
 * The in-memory store of express-session is never used outside unit tests.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import session, { type SessionData, type Store } from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import type { RequestHandler } from 'express';
import type { Logger } from './log.ts';

export interface SessionStoreConfig {
  /** `redis://…` to share sessions between instances; unset for the embedded SQLite store. */
  redisUrl?: string | undefined;
  /** SQLite file for the embedded store, or `:memory:`. */
  sqlitePath: string;
  /** Key prefix, so that apps sharing one Redis do not see each other's sessions. */
  prefix: string;
}

export interface SessionStoreHandle {
  store: Store;
  kind: 'sqlite' | 'redis';
  close(): Promise<void>;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** A minimal, durable express-session store on SQLite. Expired rows are purged lazily and periodically. */
export class SqliteSessionStore extends session.Store {
  private readonly db: Database.Database;
  private readonly timer: NodeJS.Timeout;
  private readonly stmts;

  constructor(path: string, private readonly defaultTtlMs = 24 * 3600_000) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)');
    this.stmts = {
      get: this.db.prepare<[string, number], { data: string }>('SELECT data FROM sessions WHERE sid = ? AND expires > ?'),
      set: this.db.prepare<[string, string, number]>(
        'INSERT INTO sessions (sid, data, expires) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET data = excluded.data, expires = excluded.expires',
      ),
      touch: this.db.prepare<[number, string]>('UPDATE sessions SET expires = ? WHERE sid = ?'),
      destroy: this.db.prepare<[string]>('DELETE FROM sessions WHERE sid = ?'),
      purge: this.db.prepare<[number]>('DELETE FROM sessions WHERE expires <= ?'),
    };
    this.timer = setInterval(() => this.stmts.purge.run(Date.now()), 10 * 60_000).unref();
  }

  private expiry(sess: SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : Date.now() + this.defaultTtlMs;
  }

  override get(sid: string, cb: Callback<SessionData | null>): void {
    try {
      const row = this.stmts.get.get(sid, Date.now());
      cb(null, row ? (JSON.parse(row.data) as SessionData) : null);
    } catch (err) {
      cb(err);
    }
  }

  override set(sid: string, sess: SessionData, cb?: Callback): void {
    try {
      this.stmts.set.run(sid, JSON.stringify(sess), this.expiry(sess));
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override touch(sid: string, sess: SessionData, cb?: Callback): void {
    try {
      this.stmts.touch.run(this.expiry(sess), sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: Callback): void {
    try {
      this.stmts.destroy.run(sid);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.db.close();
  }
}

export async function createSessionStore(config: SessionStoreConfig, log: Logger): Promise<SessionStoreHandle> {
  if (config.redisUrl) {
    const client = createClient({ url: config.redisUrl });
    client.on('error', (err: Error) => log.error({ err: err.message }, 'redis session store error'));
    await client.connect();
    log.info({ store: 'redis' }, 'session store ready');
    return {
      kind: 'redis',
      store: new RedisStore({ client, prefix: `${config.prefix}:sess:` }),
      close: async () => {
        await client.quit();
      },
    };
  }
  const store = new SqliteSessionStore(config.sqlitePath);
  log.info({ store: 'sqlite', path: config.sqlitePath }, 'session store ready');
  return { kind: 'sqlite', store, close: async () => store.close() };
}

export interface SessionCookieOptions {
  /** A cookie name of the app's own: apps on localhost:3000 and :3001 share one cookie jar. */
  name: string;
  secret: string | string[];
  store: Store;
  /** True when the app is served over https (`Secure` cookie). */
  secure: boolean;
  maxAgeMs: number;
  /** Set when behind a TLS-terminating proxy so that `secure` cookies work. */
  trustProxy?: boolean;
}

/** express-session with every cookie flag set explicitly: its defaults are not safe. */
export function sessionMiddleware(opts: SessionCookieOptions): RequestHandler {
  return session({
    name: opts.name,
    secret: opts.secret,
    store: opts.store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: opts.trustProxy,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secure,
      path: '/',
      maxAge: opts.maxAgeMs,
    },
  });
}

/** Promise wrappers: express-session's API is callback-based. */
export function regenerateSession(req: { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}

export function saveSession(req: { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}

export function destroySession(req: { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
}
