import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Logger } from './log.ts';
import { privateFile } from './private-files.ts';

/**
 * Returns `configured` if set; otherwise a random secret kept in `file` (mode 0600), created on first use,
 * so that a local restart keeps sessions valid without anyone having to invent a secret.
 */
export function loadOrCreateSecret(configured: string | undefined, file: string, log: Logger, variable: string): string {
  if (configured) return configured;
  if (file === ':memory:') return randomBytes(32).toString('base64url');
  privateFile(file, log);
  const kept = readFileSync(file, 'utf8').trim();
  if (kept) return kept;
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret);
  log.warn({ file }, `${variable} is not set: generated a local secret. Set ${variable} in production.`);
  return secret;
}
