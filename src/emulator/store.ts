/**
 * Durable state of the emulator: one SQLite database (a file, or `:memory:` for tests).
 *
 * Every entity kind (users, sessions, clients, codes, grants, keys, …) is a `Collection<T>` of JSON
 * documents keyed by id, with one optional secondary `lookup` key (an email, a token hash, a client id)
 * and an optional expiry. Expired documents are invisible at once and purged periodically.
 * That is all a single-project emulator needs, and it lets each route module own its own kinds.
 *
 * A kind read on every request and rarely written (the project's settings, its clients, fault switches) can keep
 * its documents in memory (`{ cacheById: true }`), as the keyring keeps its keys: this process is the only writer
 * of its database, every write goes through the kind's one `Collection`, which forgets what it changed, and a
 * transaction that fails forgets every cached document. What is cached is frozen, since every caller shares it.
 */
import Database from 'better-sqlite3';
import type { Logger } from '../shared/log.ts';
import { privateDatabase } from '../shared/private-files.ts';

export interface PutOptions {
  /** Secondary key for `findByLookup` / `listByLookup`, e.g. a token hash or an email. */
  lookup?: string | undefined;
  /** Expiry in epoch seconds; the document is invisible from then on. */
  expiresAt?: number | undefined;
}

export interface CollectionOptions {
  /** Keep documents read by id in memory, and their absence too; only documents without an expiry are kept. */
  cacheById?: boolean;
}

/**
 * At most this many documents per cached kind, the oldest forgotten first: an id comes from the request (a
 * `client_id` at the token endpoint, before any authentication), so remembered absences must not grow unbounded.
 */
export const MAX_CACHED_PER_KIND = 1000;

interface Row {
  data: string;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class Collection<T> {
  /** Documents by id (undefined: known not to exist), when the kind is cached. */
  private cache: Map<string, T | undefined> | undefined;

  constructor(
    private readonly store: Store,
    readonly kind: string,
  ) {}

  /** @internal see `Store.collection` */
  cacheById(): void {
    this.cache ??= new Map();
  }

  /** @internal forgets every cached document (a transaction failed) */
  forget(): void {
    this.cache?.clear();
  }

  /** @internal how many documents (and absences) are cached */
  get cachedCount(): number {
    return this.cache?.size ?? 0;
  }

  private remember(cache: Map<string, T | undefined>, id: string, value: T | undefined): void {
    if (cache.size >= MAX_CACHED_PER_KIND) cache.delete(cache.keys().next().value as string);
    cache.set(id, value);
  }

  get(id: string): T | undefined {
    if (!this.cache) {
      const row = this.store.stmt.get.get(this.kind, id, this.store.now()) as Row | undefined;
      return row ? (JSON.parse(row.data) as T) : undefined;
    }
    if (this.cache.has(id)) return this.cache.get(id);
    const row = this.store.stmt.getAny.get(this.kind, id) as (Row & { expires_at: number | null }) | undefined;
    if (!row) {
      this.remember(this.cache, id, undefined);
      return undefined;
    }
    if (row.expires_at !== null) return row.expires_at > this.store.now() ? (JSON.parse(row.data) as T) : undefined;
    const value = deepFreeze(JSON.parse(row.data) as T);
    this.remember(this.cache, id, value);
    return value;
  }

  put(id: string, value: T, opts: PutOptions = {}): T {
    this.store.stmt.put.run(this.kind, id, opts.lookup ?? null, JSON.stringify(value), opts.expiresAt ?? null);
    this.cache?.delete(id);
    return value;
  }

  /** Replaces the document, keeping its lookup key and expiry; returns undefined if it does not exist. */
  update(id: string, change: (current: T) => T): T | undefined {
    const current = this.get(id);
    if (current === undefined) return undefined;
    const next = change(current);
    this.store.stmt.update.run(JSON.stringify(next), this.kind, id);
    this.cache?.delete(id);
    return next;
  }

  delete(id: string): boolean {
    this.cache?.delete(id);
    return this.store.stmt.delete.run(this.kind, id).changes > 0;
  }

  findByLookup(lookup: string): T | undefined {
    const row = this.store.stmt.byLookup.get(this.kind, lookup, this.store.now()) as Row | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  listByLookup(lookup: string): T[] {
    return (this.store.stmt.listByLookup.all(this.kind, lookup, this.store.now()) as Row[]).map((r) => JSON.parse(r.data) as T);
  }

  /** Every live document, in insertion order. Fine for an emulator's data volumes. */
  all(): T[] {
    return (this.store.stmt.all.all(this.kind, this.store.now()) as Row[]).map((r) => JSON.parse(r.data) as T);
  }

  /** Deletes every document for which `predicate` holds; returns how many. */
  deleteWhere(predicate: (value: T, id: string) => boolean): number {
    const rows = this.store.stmt.allWithId.all(this.kind) as Array<Row & { id: string }>;
    let n = 0;
    for (const row of rows) {
      if (!predicate(JSON.parse(row.data) as T, row.id)) continue;
      this.cache?.delete(row.id);
      n += this.store.stmt.delete.run(this.kind, row.id).changes;
    }
    return n;
  }
}

export class Store {
  private readonly db: Database.Database;
  /** @internal prepared statements shared by the collections */
  readonly stmt;
  private readonly collections = new Map<string, Collection<unknown>>();

  /** `now` returns epoch seconds; injectable so tests and fault scenarios can move time. */
  constructor(
    readonly path: string,
    readonly now: () => number = () => Math.floor(Date.now() / 1000),
    /** Hears when a file's mode had to be tightened (the database holds the signing keys). */
    log?: Pick<Logger, 'warn'>,
  ) {
    privateDatabase(path, log);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        kind TEXT NOT NULL, id TEXT NOT NULL, lookup TEXT, data TEXT NOT NULL, expires_at INTEGER,
        seq INTEGER PRIMARY KEY AUTOINCREMENT, UNIQUE (kind, id)
      );
      CREATE INDEX IF NOT EXISTS records_lookup ON records (kind, lookup);
    `);
    const live = '(expires_at IS NULL OR expires_at > ?)';
    this.stmt = {
      get: this.db.prepare(`SELECT data FROM records WHERE kind = ? AND id = ? AND ${live}`),
      getAny: this.db.prepare('SELECT data, expires_at FROM records WHERE kind = ? AND id = ?'),
      put: this.db.prepare(
        `INSERT INTO records (kind, id, lookup, data, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET lookup = excluded.lookup, data = excluded.data, expires_at = excluded.expires_at`,
      ),
      update: this.db.prepare('UPDATE records SET data = ? WHERE kind = ? AND id = ?'),
      delete: this.db.prepare('DELETE FROM records WHERE kind = ? AND id = ?'),
      byLookup: this.db.prepare(`SELECT data FROM records WHERE kind = ? AND lookup = ? AND ${live} ORDER BY seq LIMIT 1`),
      listByLookup: this.db.prepare(`SELECT data FROM records WHERE kind = ? AND lookup = ? AND ${live} ORDER BY seq`),
      all: this.db.prepare(`SELECT data FROM records WHERE kind = ? AND ${live} ORDER BY seq`),
      allWithId: this.db.prepare('SELECT id, data FROM records WHERE kind = ? ORDER BY seq'),
      purge: this.db.prepare('DELETE FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    };
  }

  /** The kind's one collection; `cacheById` switches its cache on (for every user of the kind, from now on). */
  collection<T>(kind: string, opts: CollectionOptions = {}): Collection<T> {
    let c = this.collections.get(kind);
    if (!c) {
      c = new Collection<T>(this, kind);
      this.collections.set(kind, c);
    }
    if (opts.cacheById) c.cacheById();
    return c as Collection<T>;
  }

  /** Runs `fn` atomically (all writes or none), e.g. redeeming a code and issuing its tokens. */
  transaction<R>(fn: () => R): R {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      // Rolled back: a document cached during `fn` may hold a write that never happened.
      for (const c of this.collections.values()) c.forget();
      throw err;
    }
  }

  /** Deletes expired documents; returns how many. */
  purgeExpired(): number {
    return this.stmt.purge.run(this.now()).changes;
  }

  close(): void {
    this.db.close();
  }
}
