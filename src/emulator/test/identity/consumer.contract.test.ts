/**
 * Contract tests: every Consumer identity method the project uses, called through the real `stytch` SDK
 * against the emulator, checking the response fields the auth-server and the OAuth half rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as stytch from 'stytch';
import { DEMO_PASSWORD, DEMO_USER, consumerClient, start, stytchError, uniqueEmail, type Harness } from './helpers.ts';

let h: Harness;
let client: stytch.Client;

beforeAll(async () => {
  h = await start('consumer');
  client = consumerClient(h.emulator);
});
afterAll(() => h.emulator.close());

const ID = {
  user: /^user-test-[0-9a-f-]{36}$/,
  email: /^email-test-[0-9a-f-]{36}$/,
  session: /^session-test-[0-9a-f-]{36}$/,
  request: /^request-id-test-[0-9a-f-]{36}$/,
};

describe('users', () => {
  it('users.create returns the ids, the status and the full User object', async () => {
    const email = uniqueEmail();
    const res = await client.users.create({
      email,
      name: { first_name: 'Grace', last_name: 'Hopper' },
      phone_number: '+14155550111',
      untrusted_metadata: { a: 1 },
    });
    expect(res.status_code).toBe(200);
    expect(res.request_id).toMatch(ID.request);
    expect(res.user_id).toMatch(ID.user);
    expect(res.email_id).toMatch(ID.email);
    expect(res.phone_id).toMatch(/^phone-number-test-/);
    expect(res.status).toBe('active');
    expect(res.user).toMatchObject({
      user_id: res.user_id,
      emails: [{ email_id: res.email_id, email, verified: false }],
      phone_numbers: [{ phone_id: res.phone_id, phone_number: '+14155550111', verified: false }],
      name: { first_name: 'Grace', last_name: 'Hopper' },
      roles: ['stytch_user'],
      providers: [],
      webauthn_registrations: [],
      totps: [],
      crypto_wallets: [],
      biometric_registrations: [],
      is_locked: false,
      untrusted_metadata: { a: 1 },
    });
    expect(Date.parse(res.user.created_at!)).not.toBeNaN();
  });

  it('users.create as pending', async () => {
    const res = await client.users.create({ email: uniqueEmail(), create_user_as_pending: true });
    expect(res.status).toBe('pending');
  });

  it('users.get returns the User fields at the top level', async () => {
    const res = await client.users.get({ user_id: DEMO_USER.user_id });
    expect(res.status_code).toBe(200);
    expect(res.user_id).toBe(DEMO_USER.user_id);
    expect(res.emails).toEqual([expect.objectContaining({ email: DEMO_USER.email, verified: true })]);
    expect(res.name).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace' });
    expect(res.password).toEqual({ password_id: expect.stringMatching(/^password-test-/), requires_reset: false });
    expect(res).not.toHaveProperty('user');
  });

  it('users.delete removes the user and their sessions', async () => {
    const email = uniqueEmail();
    const created = await client.passwords.create({ email, password: DEMO_PASSWORD, session_duration_minutes: 30 });
    const res = await client.users.delete({ user_id: created.user_id });
    expect(res).toMatchObject({ status_code: 200, user_id: created.user_id });
    expect((await stytchError(() => client.users.get({ user_id: created.user_id }))).error_type).toBe('user_not_found');
    expect((await stytchError(() => client.sessions.authenticate({ session_token: created.session_token }))).error_type).toBe('session_not_found');
  });
});

describe('passwords', () => {
  it('passwords.create makes a user and, with session_duration_minutes, a session', async () => {
    const email = uniqueEmail();
    const res = await client.passwords.create({ email, password: 'a-long-and-unusual-passphrase', session_duration_minutes: 60, name: { first_name: 'Alan' } });
    expect(res.user_id).toMatch(ID.user);
    expect(res.email_id).toBe(res.user.emails[0]!.email_id);
    expect(res.user.password?.password_id).toMatch(/^password-test-/);
    expect(res.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(res.session_jwt.split('.')).toHaveLength(3);
    expect(res.session).toMatchObject({ user_id: res.user_id, roles: ['stytch_user'] });
    expect(res.session!.session_id).toMatch(ID.session);
  });

  it('passwords.create without session_duration_minutes creates no session', async () => {
    const res = await client.passwords.create({ email: uniqueEmail(), password: 'a-long-and-unusual-passphrase' });
    expect(res.session_token).toBe('');
    expect(res.session_jwt).toBe('');
    expect(res.session).toBeUndefined();
    expect((await client.sessions.get({ user_id: res.user_id })).sessions).toEqual([]);
  });

  it('passwords.authenticate returns a real session with the password factor', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    expect(res.user_id).toBe(DEMO_USER.user_id);
    expect(res.user.user_id).toBe(DEMO_USER.user_id);
    expect(res.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/);
    const s = res.session!;
    expect(s.session_id).toMatch(ID.session);
    expect(s.user_id).toBe(DEMO_USER.user_id);
    expect(s.roles).toEqual(['stytch_user']);
    expect(s.authentication_factors).toEqual([
      expect.objectContaining({
        type: 'password',
        delivery_method: 'knowledge',
        email_factor: { email_id: expect.any(String), email_address: DEMO_USER.email },
      }),
    ]);
    expect(Date.parse(s.expires_at!) - Date.parse(s.started_at!)).toBe(60 * 60 * 1000);
    expect(s.attributes).toEqual({ ip_address: '', user_agent: '' });
  });

  it('passwords.authenticate is case-insensitive on the email', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email.toUpperCase(), password: DEMO_PASSWORD, session_duration_minutes: 5 });
    expect(res.user_id).toBe(DEMO_USER.user_id);
  });

  it('passwords.authenticate into an existing session adds the factor to that session', async () => {
    const first = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const again = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_token: first.session_token });
    expect(again.session!.session_id).toBe(first.session!.session_id);
    expect(again.session_token).toBe(first.session_token);
    expect(again.session!.authentication_factors).toHaveLength(1);
  });

  it('session_custom_claims land in the session and at the top level of its JWT', async () => {
    const res = await client.passwords.authenticate({
      email: DEMO_USER.email,
      password: DEMO_PASSWORD,
      session_duration_minutes: 60,
      session_custom_claims: { tenant: 'blue' },
    });
    expect(res.session!.custom_claims).toEqual({ tenant: 'blue' });
    const local = await client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt });
    expect(local.custom_claims).toEqual({ tenant: 'blue' });
  });
});

describe('sessions', () => {
  let login: stytch.PasswordsAuthenticateResponse;
  beforeAll(async () => {
    login = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
  });

  it('sessions.authenticate with the session_token', async () => {
    const res = await client.sessions.authenticate({ session_token: login.session_token });
    expect(res.session.session_id).toBe(login.session!.session_id);
    expect(res.session_token).toBe(login.session_token);
    expect(res.session_jwt.split('.')).toHaveLength(3);
    expect(res.user.user_id).toBe(DEMO_USER.user_id);
  });

  it('sessions.authenticate with the session_jwt', async () => {
    const res = await client.sessions.authenticate({ session_jwt: login.session_jwt });
    expect(res.session.session_id).toBe(login.session!.session_id);
    expect(res.user.user_id).toBe(DEMO_USER.user_id);
  });

  it('session_duration_minutes on authenticate extends the session from now', async () => {
    const before = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 10 });
    h.clock.advance(60);
    const res = await client.sessions.authenticate({ session_token: before.session_token, session_duration_minutes: 120 });
    expect(Date.parse(res.session.expires_at!)).toBe((h.clock.now() + 120 * 60) * 1000);
    expect(Date.parse(res.session.last_accessed_at!)).toBe(h.clock.now() * 1000);
  });

  it("sessions.get lists the user's live sessions", async () => {
    const res = await client.sessions.get({ user_id: DEMO_USER.user_id });
    expect(res.sessions.map((s) => s.session_id)).toContain(login.session!.session_id);
    expect(res.sessions.every((s) => s.user_id === DEMO_USER.user_id)).toBe(true);
  });

  it('sessions.revoke by token, by id and by JWT', async () => {
    for (const by of ['session_token', 'session_id', 'session_jwt'] as const) {
      const s = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
      const arg =
        by === 'session_token'
          ? { session_token: s.session_token }
          : by === 'session_id'
            ? { session_id: s.session!.session_id }
            : { session_jwt: s.session_jwt };
      const res = await client.sessions.revoke(arg);
      expect(res.status_code).toBe(200);
      expect((await stytchError(() => client.sessions.authenticate({ session_token: s.session_token }))).error_type).toBe('session_not_found');
    }
  });

  it('GET /v1/sessions/jwks/{project_id} is public and lists RS256 signing keys', async () => {
    const res = await fetch(`${h.emulator.url}/v1/sessions/jwks/${h.emulator.projectId}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>>; request_id: string; status_code: number };
    expect(body.status_code).toBe(200);
    expect(body.request_id).toMatch(ID.request);
    expect(body.keys.length).toBeGreaterThan(0);
    for (const key of body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^jwk-test-/) });
      expect(key).not.toHaveProperty('d');
    }
    const sdk = await client.sessions.getJWKS({ project_id: h.emulator.projectId });
    expect(sdk.keys.map((k) => k.kid)).toEqual(body.keys.map((k) => k.kid));
  });
});
