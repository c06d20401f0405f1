/**
 * The declarative seed: validation with errors that name the file and the field, placeholders, and
 * idempotent application (re-applying changes nothing; a changed password is re-hashed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeedPath, loadDemoSeed } from '../../../shared/demo.ts';
import { verifyPassword } from '../../identity/passwords.ts';
import { applySeed, loadSeedFile, parseSeed, SeedError, type SeedDocument } from '../../seed.ts';
import { consumerClient, b2bClient, DEMO_PASSWORD, DEMO_USER, DEMO_MEMBER, DEMO_ORG, start, stytchError, uniqueEmail, type Harness } from './helpers.ts';

// https: a seed's logo_url must be https off loopback, like any logo_url (clients/model.ts logoUrlProblem).
const URLS = { authServerUrl: 'http://auth.test:3000', clientAppUrl: 'https://client.test:3001' };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-seed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seedFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// biome-ignore lint/suspicious/noExplicitAny: the rows break the seed on purpose, in ways its type forbids
type LooseSeed = Record<string, any>;

/** The demo consumer seed as a mutable document. */
function consumerSeed(): LooseSeed {
  return structuredClone(loadDemoSeed('consumer', URLS)) as unknown as LooseSeed;
}

describe('loadSeedFile', () => {
  it('loads both demo seeds and fills the URL placeholders', () => {
    const consumer = loadSeedFile(demoSeedPath('consumer'), URLS);
    expect(consumer.project).toMatchObject({ project_type: 'consumer', authorization_url: 'http://auth.test:3000/oauth/authorize' });
    expect(consumer.clients.map((c) => c.client_type).sort()).toEqual(['first_party', 'first_party_public', 'third_party', 'third_party_public']);
    expect(consumer.clients[0]!.redirect_urls).toEqual(['https://client.test:3001/callback']);
    const b2b = loadSeedFile(demoSeedPath('b2b'), URLS);
    expect(b2b.organizations[0]!.members[0]!.email_address).toBe('ada@acme.example');
  });

  it.each([
    [
      'a bad email',
      (s: LooseSeed) => {
        s.users[0].email = 'nope';
      },
      'users[0].email',
    ],
    [
      'an unknown field',
      (s: LooseSeed) => {
        s.users[0].nickname = 'Ada';
      },
      'users[0]',
    ],
    [
      'a short password',
      (s: LooseSeed) => {
        s.users[0].password = 'short';
      },
      'users[0].password',
    ],
    [
      'a password hash of a type node:crypto cannot verify',
      (s: LooseSeed) => {
        s.users[0].password_hash = { hash_type: 'bcrypt', hash: '$2a$10$abc' };
      },
      'users[0].password_hash.hash_type',
    ],
    [
      'a scrypt password hash without its parameters',
      (s: LooseSeed) => {
        s.users[0].password_hash = { hash_type: 'scrypt', hash: 'c2FsdA==' };
      },
      'users[0].password_hash',
    ],
    [
      'a bad user id',
      (s: LooseSeed) => {
        s.users[0].user_id = 'ada';
      },
      'users[0].user_id',
    ],
    [
      'a duplicate client id',
      (s: LooseSeed) => {
        s.clients[1].client_id = s.clients[0].client_id;
      },
      'clients[1].client_id',
    ],
    [
      'a public client with a secret',
      (s: LooseSeed) => {
        s.clients[1].client_secret = 'secret-test-abcdefghijklmnop';
      },
      'clients[1].client_secret',
    ],
    [
      'organizations in a consumer project',
      (s: LooseSeed) => {
        s.organizations = [{ organization_id: 'organization-test-1', organization_name: 'X', organization_slug: 'xx' }];
      },
      'organizations',
    ],
    [
      'a secret with a colon',
      (s: LooseSeed) => {
        s.project.secret = 'secret-test-with:colon-inside';
      },
      'project.secret',
    ],
  ])('names the file and the field for %s', (_name, change, field) => {
    const seed = consumerSeed();
    change(seed);
    const path = seedFile('bad.json', seed);
    const err = (() => {
      try {
        loadSeedFile(path, URLS);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SeedError);
    expect((err as SeedError).message).toContain(path);
    expect((err as SeedError).problems.some((p) => p.startsWith(`${field}:`))).toBe(true);
  });

  it('names the file when it is not JSON or does not exist', () => {
    const path = seedFile('broken.json', '{ "project": ');
    expect(() => loadSeedFile(path, URLS)).toThrow(new RegExp(`${path}[\\s\\S]*not valid JSON`));
    expect(() => loadSeedFile(join(dir, 'missing.json'), URLS)).toThrow(/missing\.json[\s\S]*ENOENT/);
  });
});

describe('applySeed', () => {
  let h: Harness;
  let seed: SeedDocument;
  beforeAll(async () => {
    seed = parseSeed(consumerSeed(), 'test');
    h = await start('consumer', { seed, db: join(dir, 'seeded.db') });
  });
  afterAll(() => h.emulator.close());

  const KINDS = ['project', 'rbac', 'users', 'clients', 'organizations', 'members', 'signing_keys'];
  const snapshot = () => JSON.stringify(KINDS.map((k) => h.emulator.ctx.store.collection(k).all()));

  it('writes the project settings, users and clients', async () => {
    expect(h.emulator.ctx.settings()).toMatchObject({ authorization_url: 'http://auth.test:3000/oauth/authorize', dynamic_client_registration: true });
    const user = await consumerClient(h.emulator).users.get({ user_id: DEMO_USER.user_id });
    expect(user.emails[0]).toMatchObject({ email: DEMO_USER.email, verified: true });
    expect(h.emulator.ctx.store.collection('clients').all()).toHaveLength(4);
  });

  it('is idempotent: applying it again changes nothing', async () => {
    const before = snapshot();
    h.clock.advance(3600);
    await applySeed(h.emulator.ctx, seed);
    expect(snapshot()).toBe(before);
  });

  it('leaves what was created through the API alone', async () => {
    const email = uniqueEmail();
    const created = await consumerClient(h.emulator).passwords.create({ email, password: 'a-long-and-unusual-passphrase' });
    await applySeed(h.emulator.ctx, seed);
    expect((await consumerClient(h.emulator).users.get({ user_id: created.user_id })).emails[0]!.email).toBe(email);
  });

  it('re-hashes a password only when the seed changes it', async () => {
    const client = consumerClient(h.emulator);
    const hash = () => JSON.stringify(h.emulator.ctx.store.collection<{ password?: unknown }>('users').get(DEMO_USER.user_id)?.password);
    const original = hash();
    // A new password without its hash: hashed at start.
    const { password_hash: _hash, ...user } = consumerSeed().users[0];
    const changed = parseSeed({ ...consumerSeed(), users: [{ ...user, password: 'a-brand-new-passphrase' }] }, 'test');
    await applySeed(h.emulator.ctx, changed);
    expect(hash()).not.toBe(original);
    expect((await stytchError(() => client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD }))).error_type).toBe(
      'unauthorized_credentials',
    );
    await client.passwords.authenticate({ email: DEMO_USER.email, password: 'a-brand-new-passphrase' });
    const rehashed = hash();
    await applySeed(h.emulator.ctx, changed);
    expect(hash()).toBe(rehashed);
    await applySeed(h.emulator.ctx, seed);
    await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD });
  });

  it('stores a seeded password_hash as it is, without hashing, also over a hash stored from another password', async () => {
    const stored = () => h.emulator.ctx.store.collection<{ password?: { salt: string; hash: string } }>('users').get(DEMO_USER.user_id)?.password;
    const { scrypt_config, hash } = consumerSeed().users[0].password_hash;
    // A hash computed here would have a salt of its own.
    expect(stored()).toMatchObject({ salt: scrypt_config.salt, hash });
    const { password_hash: _hash, ...user } = consumerSeed().users[0];
    await applySeed(h.emulator.ctx, parseSeed({ ...consumerSeed(), users: [{ ...user, password: 'another-long-passphrase' }] }, 'test'));
    expect(stored()?.salt).not.toBe(scrypt_config.salt);
    await applySeed(h.emulator.ctx, seed);
    expect(stored()).toMatchObject({ salt: scrypt_config.salt, hash });
    await consumerClient(h.emulator).passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD });
  });

  it('never stores a seeded password in clear', () => {
    const raw = JSON.stringify(h.emulator.ctx.store.collection('users').all());
    expect(raw).not.toContain(DEMO_PASSWORD);
    expect(raw).toContain('"algorithm":"scrypt"');
  });

  it('refuses a seed for another project', async () => {
    const other = parseSeed({ ...consumerSeed(), project: { ...consumerSeed().project, project_id: 'project-test-someone-else' } }, 'test');
    await expect(applySeed(h.emulator.ctx, other)).rejects.toThrow(/project-test-someone-else/);
  });
});

describe('the demo seeds', () => {
  // A start never checks a seeded password_hash against its password (it would cost the hash it saves): this does.
  it.each(['consumer', 'b2b'] as const)('%s: every password_hash is the hash of its password', async (type) => {
    const seed = loadSeedFile(demoSeedPath(type), URLS);
    const people = [...seed.users, ...seed.organizations.flatMap((o) => o.members)];
    expect(people.some((p) => p.password_hash)).toBe(true);
    for (const p of people) {
      if (p.password_hash) expect(await verifyPassword(p.password ?? '', p.password_hash)).toBe(true);
    }
  });
});

describe('B2B seed', () => {
  it('creates the organization and its member with a working password, idempotently', async () => {
    const h = await start('b2b');
    try {
      const client = b2bClient(h.emulator);
      const before = JSON.stringify(['organizations', 'members'].map((k) => h.emulator.ctx.store.collection(k).all()));
      await applySeed(h.emulator.ctx, loadSeedFile(demoSeedPath('b2b'), { authServerUrl: 'http://localhost:3000', clientAppUrl: 'http://localhost:3001' }));
      expect(JSON.stringify(['organizations', 'members'].map((k) => h.emulator.ctx.store.collection(k).all()))).toBe(before);
      const res = await client.passwords.authenticate({
        organization_id: DEMO_ORG.organization_id,
        email_address: DEMO_MEMBER.email_address,
        password: DEMO_PASSWORD,
      });
      expect(res.member.roles.map((r) => r.role_id)).toEqual(['stytch_member']);
    } finally {
      await h.emulator.close();
    }
  });
});

describe('seed conflicts with stored data', () => {
  it('names the seed entry when its email is taken by a user created through the API', async () => {
    const h = await start('consumer');
    try {
      const email = uniqueEmail('taken');
      await consumerClient(h.emulator).users.create({ email });
      const seed = consumerSeed();
      seed.users.push({ user_id: 'user-test-00000000-0000-4000-8000-0000000000aa', email });
      await expect(applySeed(h.emulator.ctx, parseSeed(seed, 'test'))).rejects.toThrow(/seed's users\[1\]: A user with this email already exists/);
    } finally {
      await h.emulator.close();
    }
  });
});
