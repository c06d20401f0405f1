import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { SessionData } from 'express-session';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test/support/redis.ts';
import { listen, type Listening } from '../http.ts';
import { createLogger } from '../log.ts';
import {
  MAX_PENDING_PER_SESSION,
  PENDING_TTL_MS,
  PendingStateError,
  type PendingHolder,
  createSessionStore,
  destroySession,
  lifetimeUntilMs,
  putPending,
  readPending,
  regenerateSession,
  saveSession,
  sessionMiddleware,
  setSessionLifetime,
  takePending,
  tokenSessionLifetimeMs,
  type SessionStoreHandle,
} from '../session.ts';

const log = createLogger('session-test', 'silent');
const MINUTE = 60_000;

/** What an app keeps per pending login: here, a verifier and a nonce, stamped with the start time. */
interface Pending {
  createdAt: number;
  v: string;
}
type Holder = PendingHolder<Pending>;
const entry = (v: string, createdAt: number): Pending => ({ v, createdAt });

describe('pending authorization state', () => {
  const t0 = 1_700_000_000_000;

  it('returns what was stored, once', () => {
    const session: Holder = {};
    putPending(session, 'state-1', entry('verifier', t0), t0);
    expect(takePending(session, 'state-1', t0 + MINUTE)).toEqual(entry('verifier', t0));
    expect(session.pending).toEqual({});
  });

  it('reads without consuming (consent page), then takes (submit)', () => {
    const session: Holder = {};
    putPending(session, 'tx', entry('request', t0), t0);
    expect(readPending(session, 'tx', t0 + 1).v).toBe('request');
    expect(takePending(session, 'tx', t0 + 2).v).toBe('request');
  });

  // One row per rule: what the browser sends back, when, and the code the app maps to its error page.
  const rejections: Array<[string, (s: Holder) => void, string, number, PendingStateError['code']]> = [
    ['an unknown key', () => {}, 'other', t0, 'ERR_PENDING_NOT_FOUND'],
    ['a key used before (single use)', (s) => takePending(s, 'k', t0), 'k', t0, 'ERR_PENDING_NOT_FOUND'],
    ['exactly 10 minutes later', () => {}, 'k', t0 + PENDING_TTL_MS, 'ERR_PENDING_EXPIRED'],
    ['a day later', () => {}, 'k', t0 + 24 * 60 * MINUTE, 'ERR_PENDING_EXPIRED'],
    ['a clock that went backwards', () => {}, 'k', t0 - 1, 'ERR_PENDING_EXPIRED'],
    ['an inherited property name', () => {}, '__proto__', t0, 'ERR_PENDING_NOT_FOUND'],
    ['another inherited property name', () => {}, 'constructor', t0, 'ERR_PENDING_NOT_FOUND'],
  ];
  it.each(rejections)('rejects %s', (_label, before, key, at, code) => {
    const session: Holder = {};
    putPending(session, 'k', entry('x', t0), t0);
    before(session);
    expect(() => takePending(session, key, at)).toThrow(expect.objectContaining({ code }));
  });

  it('removes an expired entry when it is taken, so it cannot be retried', () => {
    const session: Holder = {};
    putPending(session, 'k', entry('x', t0), t0);
    expect(() => takePending(session, 'k', t0 + PENDING_TTL_MS)).toThrow(PendingStateError);
    expect(session.pending).not.toHaveProperty('k');
  });

  it('readPending also refuses expired entries', () => {
    const session: Holder = {};
    putPending(session, 'k', entry('x', t0), t0);
    expect(() => readPending(session, 'k', t0 + PENDING_TTL_MS)).toThrow(expect.objectContaining({ code: 'ERR_PENDING_EXPIRED' }));
  });

  it('keeps several tabs apart, prunes expired entries and caps the number kept', () => {
    const session: Holder = {};
    putPending(session, 'old', entry('old', t0), t0);
    for (let i = 0; i < MAX_PENDING_PER_SESSION + 2; i += 1) {
      putPending(session, `tab-${i}`, entry(String(i), t0 + PENDING_TTL_MS + i), t0 + PENDING_TTL_MS + i);
    }
    const keys = Object.keys(session.pending ?? {});
    expect(keys).toHaveLength(MAX_PENDING_PER_SESSION);
    expect(keys).not.toContain('old');
    expect(keys).not.toContain('tab-0');
    expect(keys).not.toContain('tab-1');
    expect(takePending(session, 'tab-5', t0 + PENDING_TTL_MS + 20).v).toBe('5');
  });
});

describe('session lifetime follows what the session holds', () => {
  const max = 8 * 60 * MINUTE;
  it.each([
    ['access token only: until it expires', { expiresInSeconds: 3600, hasRefreshToken: false }, 60 * MINUTE],
    ['access token outliving the cap: the cap', { expiresInSeconds: 24 * 3600, hasRefreshToken: false }, max],
    ['a refresh token renews it: the cap', { expiresInSeconds: 3600, hasRefreshToken: true }, max],
    ['no expires_in (RP-8 tolerates it): the cap', { hasRefreshToken: false }, max],
  ])('%s', (_label, tokens, expected) => {
    expect(tokenSessionLifetimeMs(tokens, max)).toBe(expected);
  });

  it('ends with a Stytch session that expires sooner, never later than the cap', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(lifetimeUntilMs('2025-01-01T01:00:00Z', max, now)).toBe(60 * MINUTE);
    expect(lifetimeUntilMs('2025-02-01T00:00:00Z', max, now)).toBe(max);
    expect(lifetimeUntilMs('2024-12-31T00:00:00Z', max, now)).toBe(0);
  });
});

/**
 * Both stores, through express-session as the apps use them: the store's expiry follows the cookie's,
 * which `setSessionLifetime` sets from the token lifetimes.
 */
describe.each(['sqlite', 'redis'] as const)('%s session store', (kind) => {
  let redis: TestRedis | undefined;
  let dir: string;
  let handle: SessionStoreHandle;
  let server: Listening;
  /** Reads the store's expiry of a session, in ms from now. */
  let storedTtlMs: (sid: string) => Promise<number | null>;
  let inspect: { quit(): Promise<unknown> } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'session-test-'));
    if (kind === 'redis') redis = await startRedis();
    const sqlitePath = join(dir, 'sessions.db');
    handle = await createSessionStore({ redisUrl: redis?.url, sqlitePath, prefix: 'test-app' }, log);
    if (redis) {
      const client = createClient({ url: redis.url });
      await client.connect();
      inspect = client;
      storedTtlMs = async (sid) => {
        const ms = await client.pTTL(`test-app:sess:${sid}`);
        return ms < 0 ? null : ms;
      };
    } else {
      const { default: Database } = await import('better-sqlite3');
      storedTtlMs = async (sid) => {
        const db = new Database(sqlitePath, { readonly: true });
        const row = db.prepare<[string], { expires: number }>('SELECT expires FROM sessions WHERE sid = ?').get(sid);
        db.close();
        return row ? row.expires - Date.now() : null;
      };
    }

    const app = express();
    app.use(sessionMiddleware({ name: 'test_sid', secret: 'x'.repeat(32), store: handle.store, secure: false, maxAgeMs: 30 * MINUTE }));
    // Like the apps, the test keeps its data under a namespaced key of its own.
    const bag = (req: express.Request): Holder => {
      const data = req.session as unknown as { sessionTest?: Holder };
      data.sessionTest ??= {};
      return data.sessionTest;
    };
    app.post('/pending', (req, res) => {
      putPending(bag(req), 'state-abc', entry('verifier', Date.now()));
      res.send('ok');
    });
    app.post('/signed-in', (req, res) => {
      bag(req).pending = {};
      setSessionLifetime(req.session, tokenSessionLifetimeMs({ expiresInSeconds: 3600, hasRefreshToken: false }, 8 * 60 * MINUTE));
      res.send('ok');
    });
    app.post('/take', (req, res) => {
      res.json({ v: takePending(bag(req), 'state-abc').v });
    });
    // As the client-app keeps its flow inspector timeline: beside the session, under its id.
    const attachment = handle.attachment('notes');
    app.post('/attach', async (req, res) => {
      putPending(bag(req), 'state-abc', entry('verifier', Date.now()));
      await attachment.set(req.sessionID, `notes of ${req.sessionID}`, req.session.cookie.expires?.getTime() ?? 0);
      await saveSession(req);
      res.send(req.sessionID);
    });
    app.get('/attached', async (req, res) => {
      res.json({ notes: (await attachment.get(req.sessionID)) ?? null });
    });
    // As at sign-in: a new id, written once before the response (the explicit save), not again at its end.
    app.post('/regenerate', async (req, res) => {
      await regenerateSession(req);
      bag(req).pending = {};
      await saveSession(req);
      res.send(req.sessionID);
    });
    app.post('/logout', async (req, res) => {
      await destroySession(req);
      res.send('ok');
    });
    // As the apps do: map the coded error to a response in one place.
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err instanceof PendingStateError ? 400 : 500).json({ code: err instanceof PendingStateError ? err.code : 'ERR_INTERNAL' });
    });
    server = await listen(app, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server?.close();
    await inspect?.quit();
    await handle?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The cookie value is `s:<sid>.<signature>`, URL-encoded.
  const sidOf = (cookie: string) => /^s:([^.]+)\./.exec(decodeURIComponent(/test_sid=([^;]+)/.exec(cookie)?.[1] ?? ''))?.[1] ?? '';

  it(`is the ${kind} store`, () => {
    expect(handle.kind).toBe(kind);
  });

  it('stores pending state server-side with the default lifetime, then follows the token lifetime', async () => {
    const first = await fetch(`${server.url}/pending`, { method: 'POST' });
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toContain('verifier');
    const sid = sidOf(cookie);
    expect(sid).not.toBe('');
    const before = await storedTtlMs(sid);
    expect(before).toBeGreaterThan(29 * MINUTE);
    expect(before).toBeLessThanOrEqual(30 * MINUTE);

    const signedIn = await fetch(`${server.url}/signed-in`, { method: 'POST', headers: { cookie: cookie.split(';')[0]! } });
    // express-session sends `Expires` (seconds precision), not `Max-Age`.
    const expires = Date.parse(/Expires=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1] ?? '') - Date.now();
    expect(expires).toBeGreaterThan(59 * MINUTE);
    expect(expires).toBeLessThanOrEqual(60 * MINUTE + 1000);
    const after = await storedTtlMs(sid);
    expect(after).toBeGreaterThan(59 * MINUTE);
    expect(after).toBeLessThanOrEqual(60 * MINUTE);
  });

  it('keeps an attachment beside the session, and deletes it with the session at logout', async () => {
    const first = await fetch(`${server.url}/attach`, { method: 'POST' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const sid = await first.text();
    const read = async () => ((await (await fetch(`${server.url}/attached`, { headers: { cookie } })).json()) as { notes: string | null }).notes;
    expect(await read()).toBe(`notes of ${sid}`);
    await fetch(`${server.url}/logout`, { method: 'POST', headers: { cookie } });
    expect(await handle.attachment('notes').get(sid)).toBeUndefined();
  });

  it('writes a regenerated session once, and deletes the attachments of the id it replaces', async () => {
    const first = await fetch(`${server.url}/attach`, { method: 'POST' });
    const oldSid = await first.text();
    const writes: string[] = [];
    const set = handle.store.set.bind(handle.store);
    handle.store.set = (sid, sess, cb) => {
      writes.push(sid);
      return set(sid, sess, cb);
    };
    try {
      const regenerated = await fetch(`${server.url}/regenerate`, { method: 'POST', headers: { cookie: first.headers.get('set-cookie')!.split(';')[0]! } });
      const newSid = await regenerated.text();
      expect(sidOf(regenerated.headers.get('set-cookie') ?? '')).toBe(newSid);
      expect(writes).toEqual([newSid]);
      expect(await handle.attachment('notes').get(oldSid)).toBeUndefined();
      const stored = await new Promise((resolve, reject) => handle.store.get(newSid, (err, v) => (err ? reject(err) : resolve(v))));
      expect(stored).toMatchObject({ sessionTest: { pending: {} } });
    } finally {
      handle.store.set = set;
    }
  });

  it('keeps attachments across a restart (another store on the same file or Redis), until they expire', async () => {
    const sid = await (await fetch(`${server.url}/attach`, { method: 'POST' })).text();
    const restarted = await createSessionStore({ redisUrl: redis?.url, sqlitePath: join(dir, 'sessions.db'), prefix: 'test-app' }, log);
    try {
      const notes = restarted.attachment('notes');
      expect(await notes.get(sid)).toBe(`notes of ${sid}`);
      await notes.set(sid, 'expired', Date.now() - 1);
      expect(await notes.get(sid)).toBeUndefined();
      // Attachments are kept apart by name.
      expect(await restarted.attachment('other').get(sid)).toBeUndefined();
    } finally {
      await restarted.close();
    }
  });

  it('hands pending state to the next request once, whichever request reads it', async () => {
    const cookie = (await fetch(`${server.url}/pending`, { method: 'POST' })).headers.get('set-cookie')!.split(';')[0]!;
    const take = () => fetch(`${server.url}/take`, { method: 'POST', headers: { cookie } });
    const first = await take();
    expect(await first.json()).toEqual({ v: 'verifier' });
    const second = await take();
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual({ code: 'ERR_PENDING_NOT_FOUND' });
  });
});

describe('createSessionStore', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('keeps the sessions of two apps on one Redis apart by prefix', async () => {
    const a = await createSessionStore({ redisUrl: redis.url, sqlitePath: ':memory:', prefix: 'auth-server' }, log);
    const b = await createSessionStore({ redisUrl: redis.url, sqlitePath: ':memory:', prefix: 'client-app' }, log);
    const sess = { cookie: { expires: new Date(Date.now() + MINUTE), originalMaxAge: MINUTE }, who: 'a' } as unknown as SessionData;
    await new Promise<void>((resolve, reject) => a.store.set('same-id', sess, (err) => (err ? reject(err) : resolve())));
    const fromB = await new Promise((resolve, reject) => b.store.get('same-id', (err, v) => (err ? reject(err) : resolve(v))));
    const fromA = await new Promise((resolve, reject) => a.store.get('same-id', (err, v) => (err ? reject(err) : resolve(v))));
    expect(fromB).toBeNull();
    expect(fromA).toMatchObject({ who: 'a' });
    await a.close();
    await b.close();
  });
});
