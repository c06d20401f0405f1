import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerClient, start, type Harness } from './helpers.ts';

describe('Consumer passwords.migrate (the real SDK)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start('consumer');
  });
  afterAll(() => h.emulator.close());

  it('creates a user whose imported scrypt hash signs in', async () => {
    const client = consumerClient(h.emulator);
    const salt = randomBytes(16);
    const hash = scryptSync('imported-pass-phrase-42', salt, 32, { N: 1024, r: 8, p: 1 });
    const migrated = await client.passwords.migrate({
      email: 'imported@example.com',
      hash: hash.toString('base64'),
      hash_type: 'scrypt',
      scrypt_config: { salt: salt.toString('base64'), n_parameter: 1024, r_parameter: 8, p_parameter: 1, key_length: 32 },
      name: { first_name: 'Imported' },
    });
    expect(migrated).toMatchObject({ user_created: true, user: { emails: [{ email: 'imported@example.com' }], name: { first_name: 'Imported' } } });
    const login = await client.passwords.authenticate({ email: 'imported@example.com', password: 'imported-pass-phrase-42' });
    expect(login.user_id).toBe(migrated.user_id);
    await expect(client.passwords.authenticate({ email: 'imported@example.com', password: 'another-pass-phrase-42' })).rejects.toMatchObject({
      error_type: 'unauthorized_credentials',
    });
  });

  const rows: Array<[string, Record<string, unknown>, string]> = [
    ['an unsupported hash type', { hash_type: 'bcrypt' }, 'invalid_hash_type'],
    ['scrypt without its config', { hash_type: 'scrypt' }, 'invalid_hash'],
    [
      'an existing user (not emulated)',
      { email: 'taken@example.com', hash_type: 'scrypt', scrypt_config: { salt: 'c2FsdA==', n_parameter: 2, r_parameter: 1, p_parameter: 1, key_length: 8 } },
      'not_supported_by_emulator',
    ],
  ];
  for (const [what, fields, errorType] of rows) {
    it(`refuses ${what}: ${errorType}`, async () => {
      const client = consumerClient(h.emulator);
      await client.passwords.create({ email: 'taken@example.com', password: 'taken-pass-phrase-42' }).catch(() => undefined);
      await expect(client.passwords.migrate({ email: 'new@example.com', hash: 'aGFzaA==', hash_type: 'scrypt', ...fields })).rejects.toMatchObject({
        error_type: errorType,
      });
    });
  }
});
