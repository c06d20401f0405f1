/**
 * Server-side sessions for both apps: one place that picks the store and sets the cookie flags.
 *
 * - Embedded (default): a SQLite file, so a restart loses no session.
 * - Redis (`REDIS_URL`): shared by several instances behind a load balancer (redis.ts, loaded only then).
 * The in-memory store of express-session is never used outside unit tests.
 */
import Database from 'better-sqlite3';
import session, { type SessionData, type Store } from 'express-session';
import type { RequestHandler } from 'express';
import { CodedError } from './errors.ts';
import type { Logger } from './log.ts';
import { privateDatabase } from './private-files.ts';
import type { RedisConnection } from './redis.ts';

export type { RedisConnection };

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
  /** The Redis connection of a `redis` store, for what must be shared with it (the client-app's session lock). */
  redis?: RedisConnection;
  /** Data of its own kept beside each session (see SessionAttachment); `name` keeps kinds apart. */
  attachment(name: string): SessionAttachment;
  close(): Promise<void>;
}

/**
 * Data kept beside a session, under its id, in the session store's own backend (the same SQLite file, or
 * Redis), for what is large and read rarely, such as the client-app's flow inspector timeline. express-session
 * serialises and SHA-1-hashes the whole session record when it loads it and again at the end of every request,
 * and the store writes it whole; an attachment costs nothing on the requests that do not touch it.
 *
 * It survives a restart like the session, expires at the instant given when it is written (the session
 * cookie's expiry), and is deleted whenever the store destroys the session: at logout, and the old id when
 * the id is regenerated at login. Values are strings: the owner chooses the format and bounds the size.
 */
export interface SessionAttachment {
  get(sid: string): Promise<string | undefined>;
  set(sid: string, value: string, expiresAt: number): Promise<void>;
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

/**
 * A touch that would move a session's expiry by less than this is not written: express-session touches every
 * session a request loads and does not modify, and a write per page view buys nothing at this granularity.
 */
export const TOUCH_GRANULARITY_MS = 60_000;

/** A minimal, durable express-session store on SQLite. Expired rows are purged lazily and periodically. */
export class SqliteSessionStore extends session.Store {
  private readonly db: Database.Database;
  private readonly timer: NodeJS.Timeout;
  private readonly stmts;
  private readonly attachments = new Map<string, SessionAttachment>();
  /** One transaction: the session and its attachments go together. */
  private readonly destroyWithAttachments: (sid: string) => void;

  /** `log` hears when a file's mode had to be tightened. */
  constructor(
    path: string,
    private readonly defaultTtlMs = 24 * 3600_000,
    log?: Pick<Logger, 'warn'>,
  ) {
    super();
    privateDatabase(path, log);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // In WAL mode, NORMAL syncs at checkpoints instead of on every commit: a commit survives the process
    // (a crash, a restart) and the file cannot be corrupted; only a power loss or an OS crash may roll back the
    // last commits (https://www.sqlite.org/pragma.html#pragma_synchronous). FULL cost an fsync per session
    // write, ~0.5 ms with the event loop blocked.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS session_attachments (
        sid TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (sid, name)
      );`);
    this.stmts = {
      get: this.db.prepare<[string, number], { data: string }>('SELECT data FROM sessions WHERE sid = ? AND expires > ?'),
      set: this.db.prepare<[string, string, number]>(
        'INSERT INTO sessions (sid, data, expires) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET data = excluded.data, expires = excluded.expires',
      ),
      touch: this.db.prepare<[number, string, number]>('UPDATE sessions SET expires = ? WHERE sid = ? AND expires <= ?'),
      destroy: this.db.prepare<[string]>('DELETE FROM sessions WHERE sid = ?'),
      destroyAttachments: this.db.prepare<[string]>('DELETE FROM session_attachments WHERE sid = ?'),
      purge: this.db.prepare<[number]>('DELETE FROM sessions WHERE expires <= ?'),
      purgeAttachments: this.db.prepare<[number]>('DELETE FROM session_attachments WHERE expires <= ?'),
      getAttachment: this.db.prepare<[string, string, number], { data: string }>(
        'SELECT data FROM session_attachments WHERE sid = ? AND name = ? AND expires > ?',
      ),
      setAttachment: this.db.prepare<[string, string, string, number]>(
        'INSERT INTO session_attachments (sid, name, data, expires) VALUES (?, ?, ?, ?) ON CONFLICT(sid, name) DO UPDATE SET data = excluded.data, expires = excluded.expires',
      ),
    };
    this.destroyWithAttachments = this.db.transaction((sid: string) => {
      this.stmts.destroy.run(sid);
      this.stmts.destroyAttachments.run(sid);
    });
    this.timer = setInterval(() => {
      const now = Date.now();
      this.stmts.purge.run(now);
      this.stmts.purgeAttachments.run(now);
    }, 10 * 60_000).unref();
  }

  /** See SessionAttachment. */
  attachment(name: string): SessionAttachment {
    let attachment = this.attachments.get(name);
    if (!attachment) {
      const { getAttachment, setAttachment } = this.stmts;
      attachment = {
        get: async (sid) => getAttachment.get(sid, name, Date.now())?.data,
        set: async (sid, value, expiresAt) => {
          setAttachment.run(sid, name, value, expiresAt);
        },
      };
      this.attachments.set(name, attachment);
    }
    return attachment;
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
      const expires = this.expiry(sess);
      this.stmts.touch.run(expires, sid, expires - TOUCH_GRANULARITY_MS);
      cb?.();
    } catch (err) {
      cb?.(err);
    }
  }

  override destroy(sid: string, cb?: Callback): void {
    try {
      this.destroyWithAttachments(sid);
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
    // Loaded only here: see redis.ts.
    const { connectRedis, RedisSessionStore } = await import('./redis.ts');
    const client = await connectRedis(config.redisUrl, log, 'redis session store');
    log.info({ store: 'redis' }, 'session store ready');
    const store = new RedisSessionStore(client, config.prefix);
    return {
      kind: 'redis',
      redis: client,
      store,
      attachment: (name) => store.attachment(name),
      close: async () => {
        await client.quit();
      },
    };
  }
  const store = new SqliteSessionStore(config.sqlitePath, undefined, log);
  log.info({ store: 'sqlite', path: config.sqlitePath }, 'session store ready');
  return { kind: 'sqlite', store, attachment: (name) => store.attachment(name), close: async () => store.close() };
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

/** The session's data as express-session compares it: everything but the cookie. */
function dataOf(sess: session.Session): string {
  return JSON.stringify({ ...sess, cookie: undefined });
}

/** The `save` a session had before saveSession wrapped it: explicit saves always write. */
const explicitSave = new WeakMap<session.Session, session.Session['save']>();

/**
 * Saves the session now, before the response is sent. A redirect needs this: express-session sends the
 * response's headers before its own end-of-request save completes, so with Redis the browser could follow the
 * redirect and reach a page before the session is written.
 *
 * express-session then saves a session once more at the end of the request whenever its id differs from the
 * one it loaded (a regenerated session, as at sign-in), even when nothing changed since: its "saved" check
 * compares ids first. So after an explicit save, the session's `save` (the one express-session's end-of-request
 * calls) writes only if the data changed since; like express-session's own check, a change to the cookie alone
 * is not one.
 */
export async function saveSession(req: { session: session.Session }): Promise<void> {
  const sess = req.session;
  const save = explicitSave.get(sess) ?? sess.save;
  await new Promise<void>((resolve, reject) => save.call(sess, (err: unknown) => (err ? reject(err) : resolve())));
  explicitSave.set(sess, save);
  const saved = dataOf(sess);
  Object.defineProperty(sess, 'save', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function saveIfChanged(this: session.Session, cb?: (err?: unknown) => void) {
      if (dataOf(this) !== saved) return save.call(this, cb);
      cb?.();
      return this;
    },
  });
}

export function destroySession(req: { session: session.Session }): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
}
