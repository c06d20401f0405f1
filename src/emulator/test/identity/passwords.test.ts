/**
 * New hashes use the current scrypt parameters; a hash stored with other ones keeps verifying with its own, and
 * is replaced by a current one at the next successful login.
 */
import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collections, type PasswordHash } from '../../identity/model.ts';
import { checkLoginPassword, hashPassword, isOutdated, SCRYPT_DEFAULTS, verifyPassword, withUpgradedHash } from '../../identity/passwords.ts';
import { b2bClient, consumerClient, DEMO_ORG, start, uniqueEmail, type Harness } from './helpers.ts';

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

/** OWASP Password Storage Cheat Sheet, "Upgrading Legacy Hashes": an outdated hash is replaced at the next login. */
describe('upgrading outdated hashes at login', () => {
  const password = 'an older passphrase';
  const salt = randomBytes(16);
  const scryptHash = (params: { N: number; r: number; p: number; keylen: number }): PasswordHash => ({
    algorithm: 'scrypt',
    hash: scryptSync(password, salt, params.keylen, { ...params, maxmem: 256 * params.N * params.r }).toString('base64'),
    salt: salt.toString('base64'),
    params,
  });
  const pbkdf2Hash: PasswordHash = {
    algorithm: 'pbkdf_2',
    hash: pbkdf2Sync(password, salt, 10_000, 32, 'sha256').toString('base64'),
    salt: salt.toString('base64'),
    params: { iterations: 10_000, keylen: 32 },
  };

  // One row per case: the stored hash, the password tried, whether it logs in, whether the hash is outdated.
  const rows: Array<[string, () => PasswordHash | Promise<PasswordHash>, string, boolean, boolean]> = [
    ['previous scrypt parameters (N=2^17, r=8, p=1)', () => scryptHash({ N: 2 ** 17, r: 8, p: 1, keylen: 32 }), password, true, true],
    ['a migrated scrypt hash with other parameters', () => scryptHash({ N: 2 ** 10, r: 8, p: 1, keylen: 64 }), password, true, true],
    ['a migrated pbkdf_2 hash', () => pbkdf2Hash, password, true, true],
    ['current parameters: kept', () => hashPassword(password), password, true, false],
    ['an outdated hash and a wrong password: kept', () => pbkdf2Hash, 'a wrong passphrase', false, true],
  ];
  test.each(rows)('%s', async (_what, make, attempt, ok, outdated) => {
    const stored = await make();
    expect(isOutdated(stored)).toBe(outdated);
    const upgrades: Array<[PasswordHash, PasswordHash]> = [];
    expect(await checkLoginPassword(attempt, stored, (upgraded, replaced) => upgrades.push([upgraded, replaced]))).toBe(ok);
    expect(upgrades).toHaveLength(ok && outdated ? 1 : 0);
    if (ok && outdated) {
      const [upgraded, replaced] = upgrades[0]!;
      expect(replaced).toBe(stored);
      expect(upgraded).toMatchObject({ algorithm: 'scrypt', params: SCRYPT_DEFAULTS });
      expect(isOutdated(upgraded)).toBe(false);
      expect(await verifyPassword(password, upgraded)).toBe(true);
    }
  });

  test('an upgrade never replaces a password changed while it was computed', async () => {
    const old = pbkdf2Hash;
    const upgraded = await hashPassword(password);
    const changed = await hashPassword('a new passphrase set meanwhile');
    expect(withUpgradedHash({ id: 1, password: old }, upgraded, old)).toEqual({ id: 1, password: upgraded });
    expect(withUpgradedHash({ id: 1, password: changed }, upgraded, old)).toEqual({ id: 1, password: changed });
    const withoutPassword: { id: number; password?: PasswordHash } = { id: 1 };
    expect(withUpgradedHash(withoutPassword, upgraded, old)).toEqual({ id: 1 });
  });

  describe('through the API (the real SDK)', () => {
    let consumer: Harness;
    let b2b: Harness;
    beforeAll(async () => {
      [consumer, b2b] = await Promise.all([start('consumer'), start('b2b')]);
    });
    afterAll(() => Promise.all([consumer?.emulator.close(), b2b?.emulator.close()]));

    const pbkdf2Config = { salt: salt.toString('base64'), iteration_amount: 10_000, key_length: 32, algorithm: 'sha256' };

    test('Consumer: a migrated pbkdf_2 hash is stored as current scrypt after the first login; the answers do not change', async () => {
      const client = consumerClient(consumer.emulator);
      const email = uniqueEmail('upgrade');
      const migrated = await client.passwords.migrate({ email, hash: pbkdf2Hash.hash, hash_type: 'pbkdf_2', pbkdf_2_config: pbkdf2Config });
      const { user_id } = migrated;
      const stored = () => collections(consumer.emulator.ctx).users.get(user_id)?.password;
      expect(stored()).toMatchObject({ algorithm: 'pbkdf_2' });

      const first = await client.passwords.authenticate({ email, password });
      expect(stored()).toMatchObject({ algorithm: 'scrypt', params: SCRYPT_DEFAULTS });
      expect(first.user).toEqual(migrated.user);
      const second = await client.passwords.authenticate({ email, password });
      expect(second.user).toEqual(first.user);
      await expect(client.passwords.authenticate({ email, password: 'a wrong passphrase' })).rejects.toMatchObject({
        error_type: 'unauthorized_credentials',
      });
    });

    test('B2B: a member’s migrated hash is upgraded at login; the member object does not change', async () => {
      const client = b2bClient(b2b.emulator);
      const email_address = uniqueEmail('upgrade-member');
      const organization_id = DEMO_ORG.organization_id;
      const migrated = await client.passwords.migrate({
        organization_id,
        email_address,
        hash: pbkdf2Hash.hash,
        hash_type: 'pbkdf_2',
        pbkdf_2_config: pbkdf2Config,
      });
      const member_id = migrated.member_id;
      const stored = () => collections(b2b.emulator.ctx).members.get(member_id)?.password;
      expect(stored()).toMatchObject({ algorithm: 'pbkdf_2' });

      const first = await client.passwords.authenticate({ organization_id, email_address, password });
      expect(first.member).toEqual(migrated.member);
      expect(stored()).toMatchObject({ algorithm: 'scrypt', params: SCRYPT_DEFAULTS });
      const second = await client.passwords.authenticate({ organization_id, email_address, password });
      expect(second.member).toEqual(first.member);
    });
  });
});
