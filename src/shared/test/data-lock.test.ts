/**
 * Regression: two `npm start` from one checkout shared `.data/<type>/`, and the second seed rewrote the first
 * stack's Authorization URL and redirect URLs while it ran. One stack per data directory now.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../data-lock.ts';

const root = mkdtempSync(join(tmpdir(), 'data-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('a second lock on the same directory fails, naming the owner and how to run another stack', () => {
    const dir = join(root, 'a');
    const lock = lockDataDir(dir, { 'client-app': 'http://localhost:3001' }, 'Use STACK_DATA_DIR.');
    expect((statSync(join(dir, LOCK_FILE)).mode & 0o777).toString(8)).toBe('600');
    let error: unknown;
    try {
      lockDataDir(dir, {}, 'Use STACK_DATA_DIR.');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as DataDirInUseError).code).toBe('ERR_DATA_DIR_IN_USE');
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Another stack is running on the data directory ${dir} \\(pid ${process.pid}, started \\S+; client-app http://localhost:3001\\)\\. Use that one, or stop it first\\. Use STACK_DATA_DIR\\.$`,
      ),
    );
    lock.update({ 'client-app': 'http://localhost:4101' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).urls).toEqual({ 'client-app': 'http://localhost:4101' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir, {}, '').release();
  });

  it('a stale lock (its process is gone) is taken over', () => {
    const dir = join(root, 'b');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    lockDataDir(dir, {}, '').release();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, started: 'earlier', urls: {} }));
    const lock = lockDataDir(dir, {}, '');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

describe('npm start twice on one data directory', () => {
  it('the second stops at once with the running one named; the first releases the lock on Ctrl-C', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      STACK_DATA_DIR: join(root, 'cli'),
      CLIENT_APP_PORT: '0',
      AUTH_SERVER_PORT: '0',
      STYTCH_EMULATOR_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    const start = () =>
      spawn(process.execPath, ['bin/connected-app.js', 'start'], { cwd: join(import.meta.dirname, '../../..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = (child: ReturnType<typeof start>) => new Promise<number | null>((resolve) => child.once('exit', resolve));
    const first = start();
    const firstExit = exit(first);
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        first.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('Ctrl-C to stop.')) resolve();
        });
        void firstExit.then((code) => reject(new Error(`the first stack exited (${code})`)));
      });
      const second = start();
      let err = '';
      second.stderr.on('data', (chunk) => (err += chunk));
      expect(await exit(second)).toBe(1);
      expect(err).toContain(`Another stack is running on the data directory ${join(root, 'cli', 'consumer')} (pid ${first.pid}`);
      expect(err).toMatch(/client-app http:\/\/localhost:\d+, auth-server http:\/\/localhost:\d+, emulator http:\/\/localhost:\d+\)/);
      expect(err).toContain(`STACK_DATA_DIR=${join(root, 'cli')}-2`);
    } finally {
      first.kill('SIGINT');
    }
    expect(await firstExit).toBe(0);
    expect(existsSync(join(root, 'cli', 'consumer', LOCK_FILE))).toBe(false);
  }, 60_000);
});
