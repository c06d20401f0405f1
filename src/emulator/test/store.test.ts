/** The store's in-memory cache of a kind (`cacheById`): never a stale document, whatever changed it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_CACHED_PER_KIND, Store } from '../store.ts';

interface Doc {
  name: string;
  tags: string[];
}

let clock = 1_000;
const stores: Store[] = [];
function open(path = ':memory:'): Store {
  const store = new Store(path, () => clock);
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  clock = 1_000;
});

describe('store: cached kinds', () => {
  test('a cached document is shared and frozen, so that no caller can change it for the others', () => {
    const docs = open().collection<Doc>('docs', { cacheById: true });
    docs.put('a', { name: 'A', tags: ['x'] });
    const first = docs.get('a')!;
    expect(docs.get('a')).toBe(first);
    expect(() => first.tags.push('y')).toThrow(TypeError);
    expect(() => Object.assign(first, { name: 'B' })).toThrow(TypeError);
  });

  test.each([
    ['put', (c: ReturnType<typeof docsWithA>) => c.put('a', { name: 'B', tags: [] }), 'B'],
    ['update', (c: ReturnType<typeof docsWithA>) => c.update('a', (d) => ({ ...d, name: 'B' })), 'B'],
    ['delete', (c: ReturnType<typeof docsWithA>) => c.delete('a'), undefined],
    ['deleteWhere', (c: ReturnType<typeof docsWithA>) => c.deleteWhere((d) => d.name === 'A'), undefined],
  ])('%s is seen by the next read', (_name, change, expected) => {
    const docs = docsWithA();
    docs.get('a');
    change(docs);
    expect(docs.get('a')?.name).toBe(expected);
  });

  test('an absent document is remembered as absent until it is written', () => {
    const docs = open().collection<Doc>('docs', { cacheById: true });
    expect(docs.get('a')).toBeUndefined();
    docs.put('a', { name: 'A', tags: [] });
    expect(docs.get('a')?.name).toBe('A');
  });

  test('every handle of the kind shares the cache: switching it on later, from one caller, covers the others', () => {
    const store = open();
    const plain = store.collection<Doc>('docs');
    plain.put('a', { name: 'A', tags: [] });
    const cached = store.collection<Doc>('docs', { cacheById: true });
    expect(cached).toBe(plain);
    expect(cached.get('a')?.name).toBe('A');
    plain.update('a', (d) => ({ ...d, name: 'B' }));
    expect(cached.get('a')?.name).toBe('B');
  });

  test('a transaction that fails leaves no cached trace of its writes', () => {
    const store = open();
    const docs = store.collection<Doc>('docs', { cacheById: true });
    docs.put('a', { name: 'A', tags: [] });
    expect(() =>
      store.transaction(() => {
        docs.put('a', { name: 'B', tags: [] });
        docs.put('b', { name: 'new', tags: [] });
        expect(docs.get('a')?.name).toBe('B');
        expect(docs.get('b')?.name).toBe('new');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(docs.get('a')?.name).toBe('A');
    expect(docs.get('b')).toBeUndefined();
  });

  test('ids from requests cannot grow the cache without bound: the oldest are forgotten, and still read right', () => {
    const docs = open().collection<Doc>('docs', { cacheById: true });
    docs.put('kept', { name: 'K', tags: [] });
    expect(docs.get('kept')?.name).toBe('K');
    for (let i = 0; i < MAX_CACHED_PER_KIND + 50; i++) expect(docs.get(`unknown-${i}`)).toBeUndefined();
    expect(docs.cachedCount).toBe(MAX_CACHED_PER_KIND);
    expect(docs.get('kept')?.name).toBe('K');
  });

  test('a document with an expiry is not kept: it disappears when it expires', () => {
    const docs = open().collection<Doc>('docs', { cacheById: true });
    docs.put('a', { name: 'A', tags: [] }, { expiresAt: clock + 10 });
    expect(docs.get('a')?.name).toBe('A');
    clock += 10;
    expect(docs.get('a')).toBeUndefined();
  });

  test('what is cached is also on disk: a restart reads the same documents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-cache-'));
    try {
      const path = join(dir, 'emulator.db');
      const first = open(path);
      const docs = first.collection<Doc>('docs', { cacheById: true });
      docs.put('a', { name: 'A', tags: [] });
      docs.update('a', (d) => ({ ...d, name: 'B' }));
      first.close();
      stores.splice(stores.indexOf(first), 1);
      expect(open(path).collection<Doc>('docs').get('a')?.name).toBe('B');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function docsWithA() {
  const docs = open().collection<Doc>('docs', { cacheById: true });
  docs.put('a', { name: 'A', tags: [] });
  return docs;
}
