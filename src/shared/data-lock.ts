/**
 * One running stack per data directory. Two stacks seeding one emulator database rewrite each other's
 * Authorization URL and redirect URLs while both run, so the second start stops at once instead.
 *
 * The lock is a file in the directory holding the owner's pid and URLs, created only if absent. A lock whose pid
 * no longer runs (a crash, `kill -9`) is stale and taken over.
 */
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodedError } from './errors.ts';
import { privateDirectory } from './private-files.ts';

export const LOCK_FILE = 'stack.lock';

export interface LockOwner {
  pid: number;
  /** ISO time the owner started. */
  started: string;
  /** What the owner serves (part → URL), as far as known. */
  urls: Record<string, string>;
}

export class DataDirInUseError extends CodedError<'ERR_DATA_DIR_IN_USE'> {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
    how: string,
  ) {
    const serving = Object.entries(owner.urls)
      .map(([part, url]) => `${part} ${url}`)
      .join(', ');
    super(
      'ERR_DATA_DIR_IN_USE',
      `Another stack is running on the data directory ${dir} (pid ${owner.pid}, started ${owner.started}${serving ? `; ${serving}` : ''}). ` +
        `Use that one, or stop it first. ${how}`,
    );
  }
}

export interface DataLock {
  /** Records what this stack serves, for the message the next start shows. */
  update(urls: Record<string, string>): void;
  release(): void;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' ? { pid: owner.pid, started: String(owner.started ?? '?'), urls: owner.urls ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of `dir` for this process, or throws DataDirInUseError naming the running owner.
 * `how` tells the user how to run a second stack (another directory, other ports).
 */
export function lockDataDir(dir: string, urls: Record<string, string>, how: string): DataLock {
  privateDirectory(dir);
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, started: new Date().toISOString(), urls };
  // Written aside, then linked into place: link() fails if the lock exists, and never shows a half-written one.
  const aside = `${file}.${process.pid}`;
  const writeAside = () => writeFileSync(aside, JSON.stringify(me), { mode: 0o600 });
  writeAside();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(aside, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = readOwner(file);
        if ((owner && running(owner.pid)) || attempt > 0) throw new DataDirInUseError(dir, owner ?? { pid: 0, started: '?', urls: {} }, how);
        // Stale (its process is gone) or unreadable: take it over.
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
  return {
    update(next) {
      me.urls = next;
      writeAside();
      renameSync(aside, file);
    },
    release() {
      if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}
