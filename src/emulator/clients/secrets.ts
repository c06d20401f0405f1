/**
 * Client secrets: generated with 256 bits of randomness, shown once, stored as SHA-256 + last four.
 *
 * A fast hash is fine here (unlike passwords): the secret is random, so there is nothing to brute-force.
 * Generated secrets use the base64url alphabet plus the `secret-test-` prefix, never `%`, `+` or `:`, so
 * Basic auth encodes them unambiguously (cat. AS-15b).
 */
import { randomBytes } from 'node:crypto';
import { secretMatches, sha256Hex } from '../basic-auth.ts';
import type { EmulatorContext } from '../context.ts';

export interface HashedSecret {
  sha256: string;
  last_four: string;
}

export function hashedSecret(secret: string): HashedSecret {
  return { sha256: sha256Hex(secret), last_four: secret.slice(-4) };
}

export function generateClientSecret(ctx: Pick<EmulatorContext, 'idEnvironment'>): string {
  return `secret-${ctx.idEnvironment}-${randomBytes(36).toString('base64url')}`;
}

/** Constant-time check against the current secret and, during a rotation, the next one. */
export function clientSecretMatches(presented: string, client: { secret?: HashedSecret; next_secret?: HashedSecret }): boolean {
  // Both comparisons always run, so timing does not reveal which secret matched.
  const current = client.secret ? secretMatches(presented, client.secret.sha256) : false;
  const next = client.next_secret ? secretMatches(presented, client.next_secret.sha256) : false;
  return current || next;
}
