/**
 * Files that hold secrets, tokens or keys are private to the user who runs the apps: the data directory 0700,
 * each file 0600. SQLite creates its `-wal` and `-shm` files with the database file's mode, so a database
 * created 0600 keeps its journal private too (the WAL holds recent rows: tokens in full).
 * Looser modes found at start (an older checkout, a copied directory) are tightened, with a warning.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './log.ts';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

type Warn = Pick<Logger, 'warn'>;

/** POSIX permissions only: Windows has no group/other bits to tighten. */
const POSIX = process.platform !== 'win32';

function tighten(path: string, mode: number, log: Warn | undefined): void {
  if (!POSIX || !existsSync(path)) return;
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return;
  chmodSync(path, mode);
  log?.warn(
    { path, mode: current.toString(8), now: mode.toString(8) },
    `${path} was readable by other local users (mode ${current.toString(8)}): tightened to ${mode.toString(8)}`,
  );
}

/** Creates `dir` (and missing parents) 0700, or tightens it. */
export function privateDirectory(dir: string, log?: Warn): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE, log);
}

/** Before a file is opened or written: its directory private, the file created 0600 if missing, or tightened. */
export function privateFile(path: string, log?: Warn): void {
  privateDirectory(dirname(path), log);
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  tighten(path, PRIVATE_FILE_MODE, log);
}

/** A SQLite database about to be opened: the file as `privateFile`, and its existing `-wal` / `-shm` tightened. */
export function privateDatabase(path: string, log?: Warn): void {
  if (path === ':memory:') return;
  privateFile(path, log);
  for (const journal of [`${path}-wal`, `${path}-shm`]) tighten(journal, PRIVATE_FILE_MODE, log);
}
