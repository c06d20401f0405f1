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
import { CodedError } from './errors.ts';
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

  constructor(
    path: string,
    private readonly defaultTtlMs = 24 * 3600_000,
  ) {
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

/**
 * Session lifetime follows what the session holds. Both stores derive the row's / key's TTL from
 * `cookie.expires`, so setting the cookie's max age here sets the store's expiry too (connect-redis: `EXPIRE`).
 */
export function setSessionLifetime(session: session.Session, ms: number): void {
  session.cookie.maxAge = Math.max(0, Math.floor(ms));
}

/**
 * How long a signed-in session is useful: while its refresh token can renew it (capped by `maxMs`, the app's
 * absolute session limit), otherwise until the access token expires. A session outliving its tokens only keeps
 * stale data in the store.
 */
export function tokenSessionLifetimeMs(tokens: { expiresInSeconds?: number | undefined; hasRefreshToken: boolean }, maxMs: number): number {
  if (tokens.hasRefreshToken || tokens.expiresInSeconds === undefined) return maxMs;
  return Math.min(maxMs, tokens.expiresInSeconds * 1000);
}

/** Lifetime of a session that ends at a known instant (e.g. the Stytch session's `expires_at`), capped by `maxMs`. */
export function lifetimeUntilMs(expiresAt: Date | string | number, maxMs: number, now = Date.now()): number {
  return Math.max(0, Math.min(maxMs, new Date(expiresAt).getTime() - now));
}

/**
 * Pending authorization state (the client-app's state, nonce and PKCE verifier; the auth-server's stored
 * authorization request) is usable for 10 minutes, like an authorization code (RFC 6749 §4.1.2), and once.
 */
export const PENDING_TTL_MS = 10 * 60_000;
/** A session holds at most this many pending transactions (tabs); the oldest are dropped first. */
export const MAX_PENDING_PER_SESSION = 10;

/** A pending transaction: whatever the app keeps, stamped with when it started. */
export interface PendingEntry {
  /** Epoch milliseconds at which the transaction started. */
  createdAt: number;
}

/**
 * Where an app keeps its pending transactions, keyed by the `state` or a transaction id: e.g. `req.session`
 * (a `pending` key of its SessionData) or the app's own namespaced object in the session. This module declares
 * no SessionData key itself: each app owns the shape of its session.
 */
export interface PendingHolder<E extends PendingEntry> {
  pending?: Record<string, E> | undefined;
}

type PendingCode = 'ERR_PENDING_NOT_FOUND' | 'ERR_PENDING_EXPIRED';

/** No pending transaction under this key (never started, already used, or started in another browser), or too old. */
export class PendingStateError extends CodedError<PendingCode> {
  constructor(code: PendingCode) {
    super(
      code,
      code === 'ERR_PENDING_EXPIRED'
        ? 'The sign-in took longer than 10 minutes and has expired. Start again.'
        : 'No sign-in is in progress in this browser for this request (already finished, or started elsewhere).',
    );
  }
}

/**
 * Stores a pending transaction under `key`, dropping expired ones and, beyond MAX_PENDING_PER_SESSION, the oldest.
 * `key` must be unguessable (the state, or a random transaction id): it is what the browser sends back.
 */
export function putPending<E extends PendingEntry>(holder: PendingHolder<E>, key: string, entry: E, now = Date.now()): void {
  const live = Object.entries(holder.pending ?? {}).filter(([k, e]) => k !== key && now - e.createdAt >= 0 && now - e.createdAt < PENDING_TTL_MS);
  live.push([key, entry]);
  live.sort(([, a], [, b]) => a.createdAt - b.createdAt);
  holder.pending = Object.fromEntries(live.slice(-MAX_PENDING_PER_SESSION));
}

function lookup<E extends PendingEntry>(holder: PendingHolder<E>, key: string, now: number, ttlMs: number): E {
  const entry = holder.pending && Object.hasOwn(holder.pending, key) ? holder.pending[key] : undefined;
  if (!entry) throw new PendingStateError('ERR_PENDING_NOT_FOUND');
  // A clock step backwards must not make an entry live longer: only 0 <= age < ttl is valid.
  const age = now - entry.createdAt;
  if (age < 0 || age >= ttlMs) throw new PendingStateError('ERR_PENDING_EXPIRED');
  return entry;
}

/** Reads a pending transaction without consuming it (e.g. to render the consent page). Throws PendingStateError. */
export function readPending<E extends PendingEntry>(holder: PendingHolder<E>, key: string, now = Date.now(), ttlMs = PENDING_TTL_MS): E {
  return lookup(holder, key, now, ttlMs);
}

/**
 * Removes and returns a pending transaction: single use. The entry is deleted before the age check and before
 * the caller acts on it (RP-1: delete the state before the token request), so a failure cannot be retried with it.
 * Throws PendingStateError (`ERR_PENDING_NOT_FOUND` | `ERR_PENDING_EXPIRED`). Save the session afterwards.
 */
export function takePending<E extends PendingEntry>(holder: PendingHolder<E>, key: string, now = Date.now(), ttlMs = PENDING_TTL_MS): E {
  try {
    return lookup(holder, key, now, ttlMs);
  } finally {
    if (holder.pending && Object.hasOwn(holder.pending, key)) {
      const { [key]: _used, ...rest } = holder.pending;
      holder.pending = rest;
    }
  }
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
