/** New hashes use the current scrypt parameters; a hash stored with other ones keeps verifying with its own. */
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { PasswordHash } from '../../identity/model.ts';
import { hashPassword, SCRYPT_DEFAULTS, verifyPassword } from '../../identity/passwords.ts';

describe('password hashes', () => {
  test('a new hash is scrypt N=2^15, r=8, p=3 (32 MiB, one of OWASP’s equivalent settings) and verifies', async () => {
    expect(SCRYPT_DEFAULTS).toEqual({ N: 2 ** 15, r: 8, p: 3, keylen: 32 });
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatchObject({ algorithm: 'scrypt', params: SCRYPT_DEFAULTS });
    expect(Buffer.from(stored.salt, 'base64')).toHaveLength(16);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
  });

  // Databases written before the change hold hashes made with N=2^17, r=8, p=1 (128 MiB each).
  test('a hash stored with the previous parameters (N=2^17, r=8, p=1) still verifies', async () => {
    const salt = randomBytes(16);
    const params = { N: 2 ** 17, r: 8, p: 1, keylen: 32 };
    const hash = scryptSync('an older passphrase', salt, 32, { ...params, maxmem: 256 * 2 ** 17 * 8 });
    const stored: PasswordHash = { algorithm: 'scrypt', hash: hash.toString('base64'), salt: salt.toString('base64'), params };
    expect(await verifyPassword('an older passphrase', stored)).toBe(true);
    expect(await verifyPassword('another passphrase', stored)).toBe(false);
  });
});
