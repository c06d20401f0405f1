/**
 * What a CLI agent keeps between runs, per MCP server: its client registration and its tokens (a refresh token
 * is a credential). One JSON file per server URL, mode 0600 in a 0700 folder, written whole on each change; a
 * file that cannot be read is treated as nothing kept (the agent signs in again), never as an error.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface Kept {
  client?: OAuthClientInformationMixed | undefined;
  tokens?: OAuthTokens | undefined;
}

export interface ClientStore {
  load(): Kept;
  save(kept: Kept): void;
  /** Forgets everything kept for this server. */
  clear(): void;
}

export function fileStore(dir: string, serverUrl: string): ClientStore {
  const file = join(dir, `${createHash('sha256').update(new URL(serverUrl).href).digest('hex').slice(0, 16)}.json`);
  return {
    load() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as Kept;
      } catch {
        return {};
      }
    },
    save(kept) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ server: serverUrl, ...kept }, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}

/** Nothing kept (tests, and `--no-store`). */
export function memoryStore(): ClientStore {
  let kept: Kept = {};
  return {
    load: () => kept,
    save: (k) => {
      kept = k;
    },
    clear: () => {
      kept = {};
    },
  };
}
