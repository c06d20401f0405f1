/**
 * Contract tests: every B2B identity method the project uses, through the real `stytch.B2BClient`.
 */
import { scryptSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as stytch from 'stytch';
import { DEMO_MEMBER, DEMO_ORG, DEMO_PASSWORD, b2bClient, start, stytchError, uniqueEmail, type Harness } from './helpers.ts';

let h: Harness;
let client: stytch.B2BClient;

beforeAll(async () => {
  h = await start('b2b');
  client = b2bClient(h.emulator);
});
afterAll(() => h.emulator.close());

describe('organizations and members', () => {
  it('organizations.create returns the Organization with Stytch defaults', async () => {
    const res = await client.organizations.create({
      organization_name: 'Globex Corporation',
      organization_slug: 'globex',
      email_allowed_domains: ['globex.example'],
    });
    expect(res.status_code).toBe(200);
    expect(res.organization).toMatchObject({
      organization_id: expect.stringMatching(/^organization-test-[0-9a-f-]{36}$/),
      organization_name: 'Globex Corporation',
      organization_slug: 'globex',
      email_allowed_domains: ['globex.example'],
      first_party_connected_apps_allowed_type: 'ALL_ALLOWED',
      third_party_connected_apps_allowed_type: 'ALL_ALLOWED',
      allowed_first_party_connected_apps: [],
      allowed_third_party_connected_apps: [],
      custom_roles: [],
    });
  });

  it('organizations.create derives a slug from the name when none is given', async () => {
    const res = await client.organizations.create({ organization_name: 'Initech Ltd' });
    expect(res.organization.organization_slug).toBe('initech-ltd');
  });

  it('organizations.get by id (and by slug)', async () => {
    const byId = await client.organizations.get({ organization_id: DEMO_ORG.organization_id });
    expect(byId.organization).toMatchObject({ organization_id: DEMO_ORG.organization_id, organization_name: 'Acme Corp', organization_slug: 'acme' });
    const bySlug = await client.organizations.get({ organization_id: 'acme' });
    expect(bySlug.organization.organization_id).toBe(DEMO_ORG.organization_id);
  });

  it('organizations.members.create returns member_id, member and organization', async () => {
    const email = uniqueEmail('member');
    const res = await client.organizations.members.create({
      organization_id: DEMO_ORG.organization_id,
      email_address: email,
      name: 'Charles Babbage',
      roles: ['stytch_admin'],
    });
    expect(res.member_id).toMatch(/^member-test-[0-9a-f-]{36}$/);
    expect(res.organization.organization_id).toBe(DEMO_ORG.organization_id);
    expect(res.member).toMatchObject({
      member_id: res.member_id,
      organization_id: DEMO_ORG.organization_id,
      email_address: email,
      name: 'Charles Babbage',
      status: 'active',
      is_admin: true,
      member_password_id: '',
      email_address_verified: false,
      mfa_enrolled: false,
      mfa_phone_number: '',
      sso_registrations: [],
      oauth_registrations: [],
      retired_email_addresses: [],
    });
    expect(res.member.roles.map((r) => r.role_id)).toEqual(['stytch_member', 'stytch_admin']);
  });

  it('organizations.members.get by member_id and by email_address', async () => {
    const byId = await client.organizations.members.get({ organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id });
    expect(byId.member_id).toBe(DEMO_MEMBER.member_id);
    expect(byId.member).toMatchObject({ email_address: DEMO_MEMBER.email_address, name: 'Ada Lovelace', email_address_verified: true });
    expect(byId.member.member_password_id).toMatch(/^member-password-test-/);
    expect(byId.organization.organization_id).toBe(DEMO_ORG.organization_id);
    const byEmail = await client.organizations.members.get({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address.toUpperCase(),
    });
    expect(byEmail.member_id).toBe(DEMO_MEMBER.member_id);
  });
});

describe('passwords', () => {
  it('passwords.authenticate completes the login: member session, no MFA, no intermediate token', async () => {
    const res = await client.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
    });
    expect(res).toMatchObject({
      status_code: 200,
      member_id: DEMO_MEMBER.member_id,
      organization_id: DEMO_ORG.organization_id,
      member_authenticated: true,
      intermediate_session_token: '',
      mfa_required: null,
    });
    expect(res.member.member_id).toBe(DEMO_MEMBER.member_id);
    expect(res.organization.organization_slug).toBe('acme');
    expect(res.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/);
    const s = res.member_session!;
    expect(s).toMatchObject({
      member_session_id: expect.stringMatching(/^session-test-/),
      member_id: DEMO_MEMBER.member_id,
      organization_id: DEMO_ORG.organization_id,
      organization_slug: 'acme',
      roles: ['stytch_member'],
      authentication_factors: [expect.objectContaining({ type: 'password', delivery_method: 'knowledge' })],
    });
    // Default B2B session length: 60 minutes.
    expect(Date.parse(s.expires_at) - Date.parse(s.started_at)).toBe(60 * 60 * 1000);
  });

  it('passwords.migrate with an scrypt hash creates the member; the password then logs in', async () => {
    const email = uniqueEmail('migrated');
    const salt = randomBytes(16);
    const hash = scryptSync('imported-passphrase-1', salt, 32, { N: 16384, r: 8, p: 1 });
    const res = await client.passwords.migrate({
      organization_id: DEMO_ORG.organization_id,
      email_address: email,
      hash: hash.toString('base64'),
      hash_type: 'scrypt',
      scrypt_config: { salt: salt.toString('base64'), n_parameter: 16384, r_parameter: 8, p_parameter: 1, key_length: 32 },
      name: 'Imported Person',
    });
    expect(res).toMatchObject({ member_created: true, member: { email_address: email, name: 'Imported Person' } });
    expect(res.member.member_password_id).toMatch(/^member-password-test-/);
    expect(res.organization.organization_id).toBe(DEMO_ORG.organization_id);
    const login = await client.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: email,
      password: 'imported-passphrase-1',
      session_duration_minutes: 30,
    });
    expect(login.member_id).toBe(res.member_id);
  });

  it('passwords.migrate with a pbkdf_2 hash updates an existing member and revokes their sessions', async () => {
    const email = uniqueEmail('pbkdf');
    const { member_id } = await client.organizations.members.create({ organization_id: DEMO_ORG.organization_id, email_address: email });
    const first = await migrate(email, 'first-passphrase-1');
    expect(first).toMatchObject({ member_created: false, member_id });
    const session = await client.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: email, password: 'first-passphrase-1' });
    await migrate(email, 'second-passphrase-2');
    expect((await stytchError(() => client.sessions.authenticate({ session_token: session.session_token }))).error_type).toBe('session_not_found');
    const e = await stytchError(() =>
      client.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: email, password: 'first-passphrase-1' }),
    );
    expect(e.error_type).toBe('unauthorized_credentials');
    await client.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: email, password: 'second-passphrase-2' });
  });

  function migrate(email: string, password: string) {
    const salt = randomBytes(16);
    return client.passwords.migrate({
      organization_id: DEMO_ORG.organization_id,
      email_address: email,
      hash: pbkdf2Sync(password, salt, 1000, 32, 'sha512').toString('base64'),
      hash_type: 'pbkdf_2',
      pbkdf_2_config: { salt: salt.toString('base64'), iteration_amount: 1000, key_length: 32, algorithm: 'sha512' },
    });
  }
});

describe('sessions', () => {
  let login: stytch.B2BPasswordsAuthenticateResponse;
  beforeAll(async () => {
    login = await client.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
      session_duration_minutes: 60,
    });
  });

  it('sessions.authenticate with the session_token and with the session_jwt', async () => {
    for (const cred of [{ session_token: login.session_token }, { session_jwt: login.session_jwt }]) {
      const res = await client.sessions.authenticate(cred);
      expect(res.member_session.member_session_id).toBe(login.member_session!.member_session_id);
      expect(res.member.member_id).toBe(DEMO_MEMBER.member_id);
      expect(res.organization.organization_id).toBe(DEMO_ORG.organization_id);
      expect(res.session_jwt.split('.')).toHaveLength(3);
    }
  });

  it("sessions.get lists the member's sessions", async () => {
    const res = await client.sessions.get({ organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id });
    expect(res.member_sessions.map((s) => s.member_session_id)).toContain(login.member_session!.member_session_id);
  });

  it("sessions.revoke by token, by id, by JWT, and all of a member's sessions by member_id", async () => {
    const args = [
      (s: stytch.B2BPasswordsAuthenticateResponse) => ({ session_token: s.session_token }),
      (s: stytch.B2BPasswordsAuthenticateResponse) => ({ member_session_id: s.member_session!.member_session_id }),
      (s: stytch.B2BPasswordsAuthenticateResponse) => ({ session_jwt: s.session_jwt }),
      (s: stytch.B2BPasswordsAuthenticateResponse) => ({ member_id: s.member_id }),
    ];
    for (const arg of args) {
      const s = await client.passwords.authenticate({
        organization_id: DEMO_ORG.organization_id,
        email_address: DEMO_MEMBER.email_address,
        password: DEMO_PASSWORD,
      });
      expect((await client.sessions.revoke(arg(s))).status_code).toBe(200);
      expect((await stytchError(() => client.sessions.authenticate({ session_token: s.session_token }))).error_type).toBe('session_not_found');
    }
  });

  it('GET /v1/b2b/sessions/jwks/{project_id} is public', async () => {
    const res = await fetch(`${h.emulator.url}/v1/b2b/sessions/jwks/${h.emulator.projectId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<{ kid: string; alg: string }> };
    expect(body.keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA', use: 'sig' });
    const sdk = await client.sessions.getJWKS({ project_id: h.emulator.projectId });
    expect(sdk.keys.map((k) => k.kid)).toEqual(body.keys.map((k) => k.kid));
  });
});
