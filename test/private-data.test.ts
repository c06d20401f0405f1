/**
 * Regression: `.data/` was 0755 and its databases 0644, so every local user could read the client-app's tokens
 * (in its WAL), the auth-server's Stytch sessions and the emulator's private signing keys.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startStack } from '../src/stack.ts';

const FREE = { emulator: 0, authServer: 0, clientApp: 0 };
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('private data files', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'private-data-')), 'data');
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('the data directory is 0700 and every file in it 0600, -wal and -shm included', async () => {
    const stack = await startStack({ ports: FREE, dataDir, logLevel: 'silent' });
    try {
      const files = readdirSync(dataDir);
      // The three databases with their journals, and the two generated session secrets.
      expect(files.filter((f) => f.endsWith('.db')).sort()).toEqual(['auth-server-sessions.db', 'client-app-sessions.db', 'emulator-consumer.db']);
      expect(files.filter((f) => f.endsWith('-wal')).length).toBe(3);
      expect(files.filter((f) => /secret/.test(f)).length).toBe(2);
      expect(mode(dataDir)).toBe('700');
      expect(Object.fromEntries(files.map((f) => [f, mode(join(dataDir, f))]))).toEqual(Object.fromEntries(files.map((f) => [f, '600'])));
    } finally {
      await stack.close();
    }
  });

  it('looser modes left by an older version are tightened at start, with a warning naming each file', async () => {
    chmodSync(dataDir, 0o755);
    const loosened = readdirSync(dataDir).filter((f) => !f.endsWith('-shm'));
    for (const f of loosened) chmodSync(join(dataDir, f), 0o644);
    const lines: string[] = [];
    const sink = () =>
      new Writable({
        write: (chunk, _enc, done) => {
          lines.push(String(chunk));
          done();
        },
      });
    const stack = await startStack({ ports: FREE, dataDir, logLevel: 'warn', logDestination: sink });
    await stack.close();
    expect(mode(dataDir)).toBe('700');
    for (const f of readdirSync(dataDir)) expect(mode(join(dataDir, f)), f).toBe('600');
    const warned = lines.map((l) => JSON.parse(l) as { msg: string; path?: string }).filter((l) => /tightened to 600|tightened to 700/.test(l.msg));
    expect(warned.map((l) => l.path!.replace(`${dataDir}/`, '')).sort()).toEqual([dataDir, ...loosened].map((f) => f.replace(`${dataDir}/`, '')).sort());
  });
});
