import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './log.ts';

/**
 * Returns `configured` if set; otherwise a random secret kept in `file` (mode 0600), created on first use,
 * so that a local restart keeps sessions valid without anyone having to invent a secret.
 */
export function loadOrCreateSecret(configured: string | undefined, file: string, log: Logger, variable: string): string {
  if (configured) return configured;
  if (file === ':memory:') return randomBytes(32).toString('base64url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  log.warn({ file }, `${variable} is not set: generated a local secret. Set ${variable} in production.`);
  return secret;
}
