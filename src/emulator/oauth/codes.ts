/**
 * Authorization codes (AS-3): opaque, 256 bits of randomness, stored only as a SHA-256 hash,
 * bound to the whole transaction, valid 10 minutes, single use. A consumed code stays recorded until it
 * expires, so that a second use is recognised as a replay (and revokes its grant) rather than as unknown.
 *
 * Collection `codes`: id = sha256(code), expires with the code.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../basic-auth.ts';
import type { EmulatorContext } from '../context.ts';
import type { GrantSubject } from './grants.ts';

/** UNCONFIRMED for Stytch (ST-GUESS-CODE-LIFETIME); RFC 6749 §4.1.2 recommends 10 minutes at most. */
export const CODE_LIFETIME_SECONDS = 10 * 60;

export interface CodeRecord {
  client_id: string;
  grant_id: string;
  redirect_uri: string;
  subject: GrantSubject;
  scopes: string[];
  nonce?: string;
  code_challenge?: string;
  issued_at: number;
  expires_at: number;
  consumed_at?: number;
}

function codes(ctx: Pick<EmulatorContext, 'store'>) {
  return ctx.store.collection<CodeRecord>('codes');
}

export function issueCode(ctx: EmulatorContext, init: Omit<CodeRecord, 'issued_at' | 'expires_at' | 'consumed_at'>): string {
  const code = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const record: CodeRecord = { ...init, issued_at: now, expires_at: now + CODE_LIFETIME_SECONDS };
  codes(ctx).put(sha256Hex(code), record, { expiresAt: record.expires_at });
  return code;
}

/** The code's record (consumed or not), or undefined if it never existed or has expired. */
export function findCode(ctx: Pick<EmulatorContext, 'store'>, code: string): CodeRecord | undefined {
  return codes(ctx).get(sha256Hex(code));
}

/**
 * Marks the code used. Atomic: of N concurrent redemptions exactly one gets `true`; the others (and any
 * later one) get `false` and must treat it as a replay.
 */
export function consumeCode(ctx: EmulatorContext, code: string): boolean {
  const id = sha256Hex(code);
  return ctx.store.transaction(() => {
    const current = codes(ctx).get(id);
    if (!current || current.consumed_at !== undefined) return false;
    // Written from the record just read (no second read, as `update` would make); codes have no lookup key.
    codes(ctx).put(id, { ...current, consumed_at: ctx.now() }, { expiresAt: current.expires_at });
    return true;
  });
}
