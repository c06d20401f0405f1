/**
 * Durability: what was created through the API survives a restart on the same SQLite file, and a login
 * still works (the seed is re-applied on start without disturbing it).
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b2bClient, consumerClient, DEMO_ORG, start, uniqueEmail } from './helpers.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-restart-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restart on the same database file', () => {
  it('Consumer: a user, a session, a client and the signing keys survive; the password still logs in', async () => {
    const db = join(dir, 'consumer.db');
    const email = uniqueEmail('durable');
    const password = 'a-durable-passphrase';

    const first = await start('consumer', { db });
    const c1 = consumerClient(first.emulator);
    const created = await c1.passwords.create({ email, password, session_duration_minutes: 60 });
    const app = await c1.connectedApp.clients.create({
      client_type: 'third_party',
      client_name: 'Durable App',
      redirect_urls: ['https://durable.example/callback'],
    });
    const kids = first.emulator.ctx.keys.jwks().keys.map((k) => k.kid);
    await first.emulator.close();

    const second = await start('consumer', { db });
    try {
      const c2 = consumerClient(second.emulator);
      expect((await c2.users.get({ user_id: created.user_id })).emails[0]!.email).toBe(email);
      const client = await c2.connectedApp.clients.get({ client_id: app.connected_app.client_id });
      expect(client.connected_app).toMatchObject({ client_name: 'Durable App', redirect_urls: ['https://durable.example/callback'] });
      // The session and its token survive too.
      expect((await c2.sessions.authenticate({ session_token: created.session_token })).session.session_id).toBe(created.session!.session_id);
      const login = await c2.passwords.authenticate({ email, password, session_duration_minutes: 5 });
      expect(login.user_id).toBe(created.user_id);
      // Same keys: JWTs signed before the restart still verify.
      expect(second.emulator.ctx.keys.jwks().keys.map((k) => k.kid)).toEqual(kids);
    } finally {
      await second.emulator.close();
    }
  });

  it('B2B: an organization and a member with a migrated password survive', async () => {
    const db = join(dir, 'b2b.db');
    const email = uniqueEmail('durable-member');

    const first = await start('b2b', { db });
    const b1 = b2bClient(first.emulator);
    const { organization } = await b1.organizations.create({ organization_name: 'Durable Org', organization_slug: 'durable-org' });
    const salt = randomBytes(16);
    await b1.passwords.migrate({
      organization_id: organization.organization_id,
      email_address: email,
      hash: scryptSync('a-durable-passphrase', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64'),
      hash_type: 'scrypt',
      scrypt_config: { salt: salt.toString('base64'), n_parameter: 16384, r_parameter: 8, p_parameter: 1, key_length: 32 },
    });
    await first.emulator.close();

    const second = await start('b2b', { db });
    try {
      const b2 = b2bClient(second.emulator);
      expect((await b2.organizations.get({ organization_id: 'durable-org' })).organization.organization_id).toBe(organization.organization_id);
      const login = await b2.passwords.authenticate({ organization_id: organization.organization_id, email_address: email, password: 'a-durable-passphrase' });
      expect(login.member_authenticated).toBe(true);
      // The seeded organization is still there beside it.
      expect((await b2.organizations.get({ organization_id: DEMO_ORG.organization_id })).organization.organization_slug).toBe('acme');
    } finally {
      await second.emulator.close();
    }
  });

  it('refuses a database that belongs to another project', async () => {
    const db = join(dir, 'owned.db');
    const first = await start('consumer', { db });
    await first.emulator.close();
    await expect(start('b2b', { db })).rejects.toThrow(/belongs to consumer project/);
  });
});
