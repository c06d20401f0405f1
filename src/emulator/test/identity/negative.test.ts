/**
 * Negative cases as one declarative table: each row is a call through the real SDK (or raw HTTP where the
 * SDK cannot express the mistake) and the `status_code` + `error_type` Stytch answers with.
 */
import { SignJWT, generateKeyPair } from 'jose';
import type * as stytch from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBER, DEMO_ORG, DEMO_PASSWORD, DEMO_USER, b2bClient, consumerClient, start, stytchError, uniqueEmail, type Harness } from './helpers.ts';

interface Env {
  c: Harness;
  b: Harness;
  consumer: stytch.Client;
  b2b: stytch.B2BClient;
  /** A live Consumer login of the demo user. */
  login: stytch.PasswordsAuthenticateResponse;
}

interface Row {
  rule: string;
  call: (env: Env) => Promise<unknown>;
  status: number;
  error_type: string;
}

/** A JWT with the session claims but signed by a key the project never had. */
async function forgedJwt(env: Env): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ 'https://stytch.com/session': { id: env.login.session!.session_id } })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'jwk-test-forged' })
    .setSubject(DEMO_USER.user_id)
    .setIssuer(env.c.emulator.url)
    .setAudience([env.c.emulator.projectId])
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(privateKey);
}

/** The real JWT with its payload changed (so its signature no longer matches). */
function tamperedJwt(env: Env): string {
  const [h, p, s] = env.login.session_jwt.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
  payload.sub = 'user-test-00000000-0000-4000-8000-00000000beef';
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
}

function unsignedJwt(env: Env): string {
  const [, p] = env.login.session_jwt.split('.');
  return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
}

async function raw(env: Env, path: string, init: RequestInit & { harness?: 'c' | 'b' } = {}): Promise<never> {
  const em = env[init.harness ?? 'c'].emulator;
  const res = await fetch(`${em.url}${path}`, init);
  const body = (await res.json()) as { status_code: number; error_type: string };
  throw Object.assign(new Error(`HTTP ${res.status}`), { http: res.status, ...body });
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

const ROWS: Row[] = [
  // Authentication of API calls
  {
    rule: 'wrong project secret',
    call: (e) => consumerClient(e.c.emulator, 'secret-test-wrong-wrong-wrong-wrong').users.get({ user_id: DEMO_USER.user_id }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'B2B: wrong project secret',
    call: (e) => b2bClient(e.b.emulator, 'secret-test-wrong-wrong-wrong-wrong').organizations.get({ organization_id: DEMO_ORG.organization_id }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'another project id with the right secret',
    call: (e) => raw(e, `/v1/users/${DEMO_USER.user_id}`, { headers: { authorization: basic('project-test-other', e.c.emulator.secret) } }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  { rule: 'no Authorization header', call: (e) => raw(e, `/v1/users/${DEMO_USER.user_id}`), status: 401, error_type: 'unauthorized_credentials' },
  {
    rule: 'malformed JSON body',
    call: (e) =>
      raw(e, '/v1/users', {
        method: 'POST',
        headers: { authorization: basic(e.c.emulator.projectId, e.c.emulator.secret), 'content-type': 'application/json' },
        body: '{"email":',
      }),
    status: 400,
    error_type: 'invalid_json',
  },
  { rule: 'JWKS of another project', call: (e) => raw(e, '/v1/sessions/jwks/project-test-other'), status: 404, error_type: 'project_not_found' },
  {
    rule: 'B2B routes are not served by a Consumer project',
    call: (e) =>
      raw(e, `/v1/b2b/organizations/${DEMO_ORG.organization_id}`, { headers: { authorization: basic(e.c.emulator.projectId, e.c.emulator.secret) } }),
    status: 404,
    error_type: 'route_not_found',
  },

  // Consumer users and passwords
  {
    rule: 'unknown user',
    call: (e) => e.consumer.users.get({ user_id: 'user-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'user_not_found',
  },
  {
    rule: 'users.create with a taken email',
    call: (e) => e.consumer.users.create({ email: DEMO_USER.email.toUpperCase() }),
    status: 409,
    error_type: 'duplicate_email',
  },
  { rule: 'users.create with an invalid email', call: (e) => e.consumer.users.create({ email: 'not-an-email' }), status: 400, error_type: 'invalid_email' },
  {
    rule: 'users.create with a phone number not in E.164',
    call: (e) => e.consumer.users.create({ email: uniqueEmail(), phone_number: '415 555 0100' }),
    status: 400,
    error_type: 'invalid_phone_number',
  },
  {
    rule: 'passwords.create with a taken email',
    call: (e) => e.consumer.passwords.create({ email: DEMO_USER.email, password: 'another-long-passphrase' }),
    status: 409,
    error_type: 'duplicate_email',
  },
  {
    rule: 'passwords.create with a short password',
    call: (e) => e.consumer.passwords.create({ email: uniqueEmail(), password: 'short' }),
    status: 400,
    error_type: 'weak_password',
  },
  {
    rule: 'passwords.create with a famous password',
    call: (e) => e.consumer.passwords.create({ email: uniqueEmail(), password: 'password123' }),
    status: 400,
    error_type: 'weak_password',
  },
  {
    rule: 'passwords.create with the email as password',
    call: (e) => {
      const email = uniqueEmail();
      return e.consumer.passwords.create({ email, password: email });
    },
    status: 400,
    error_type: 'weak_password',
  },
  {
    rule: 'passwords.authenticate with an unknown email',
    call: (e) => e.consumer.passwords.authenticate({ email: uniqueEmail('nobody'), password: DEMO_PASSWORD }),
    status: 404,
    error_type: 'email_not_found',
  },
  {
    rule: 'passwords.authenticate with a wrong password',
    call: (e) => e.consumer.passwords.authenticate({ email: DEMO_USER.email, password: 'wrong-horse-battery-staple' }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'passwords.authenticate for a user without a password',
    call: async (e) => {
      const { user } = await e.consumer.users.create({ email: uniqueEmail() });
      return e.consumer.passwords.authenticate({ email: user.emails[0]!.email, password: DEMO_PASSWORD });
    },
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'session_duration_minutes below 5',
    call: (e) => e.consumer.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 4 }),
    status: 400,
    error_type: 'invalid_session_duration',
  },
  {
    rule: 'session_duration_minutes above 366 days',
    call: (e) => e.consumer.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 527_041 }),
    status: 400,
    error_type: 'invalid_session_duration',
  },
  {
    rule: 'session_custom_claims overriding a reserved claim',
    call: (e) =>
      e.consumer.passwords.authenticate({
        email: DEMO_USER.email,
        password: DEMO_PASSWORD,
        session_duration_minutes: 5,
        session_custom_claims: { sub: 'someone-else' },
      }),
    status: 400,
    error_type: 'invalid_session_custom_claims',
  },
  {
    rule: 'session_custom_claims overriding a Stytch claim',
    call: (e) => e.consumer.sessions.authenticate({ session_token: e.login.session_token, session_custom_claims: { 'https://stytch.com/session': {} } }),
    status: 400,
    error_type: 'invalid_session_custom_claims',
  },

  // Consumer sessions
  {
    rule: 'unknown session_token',
    call: (e) => e.consumer.sessions.authenticate({ session_token: 'x'.repeat(44) }),
    status: 404,
    error_type: 'session_not_found',
  },
  {
    rule: 'both session_token and session_jwt',
    call: (e) => e.consumer.sessions.authenticate({ session_token: e.login.session_token, session_jwt: e.login.session_jwt }),
    status: 400,
    error_type: 'too_many_session_arguments',
  },
  { rule: 'neither session_token nor session_jwt', call: (e) => e.consumer.sessions.authenticate({}), status: 400, error_type: 'missing_session' },
  {
    rule: 'a session JWT signed by another key',
    call: async (e) => e.consumer.sessions.authenticate({ session_jwt: await forgedJwt(e) }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'a session JWT with a changed payload',
    call: (e) => e.consumer.sessions.authenticate({ session_jwt: tamperedJwt(e) }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'an unsigned (alg: none) session JWT',
    call: (e) => e.consumer.sessions.authenticate({ session_jwt: unsignedJwt(e) }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'a session that has expired',
    call: async (e) => {
      const s = await e.consumer.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 5 });
      e.c.clock.advance(301);
      try {
        return await e.consumer.sessions.authenticate({ session_token: s.session_token });
      } finally {
        e.c.clock.advance(-301);
      }
    },
    status: 404,
    error_type: 'session_not_found',
  },
  {
    rule: 'revoking an unknown session_id',
    call: (e) => e.consumer.sessions.revoke({ session_id: 'session-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'session_not_found',
  },
  {
    rule: 'revoking with a forged JWT',
    call: async (e) => e.consumer.sessions.revoke({ session_jwt: await forgedJwt(e) }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'sessions.get for an unknown user',
    call: (e) => e.consumer.sessions.get({ user_id: 'user-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'user_not_found',
  },
  {
    rule: 'authorization_check is not emulated (said, not faked)',
    call: (e) => e.consumer.sessions.authenticate({ session_token: e.login.session_token, authorization_check: { resource_id: 'reports', action: 'read' } }),
    status: 400,
    error_type: 'not_supported_by_emulator',
  },

  // B2B
  {
    rule: 'B2B: unknown organization',
    call: (e) => e.b2b.organizations.get({ organization_id: 'organization-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'organization_not_found',
  },
  {
    rule: 'B2B: unknown member',
    call: (e) => e.b2b.organizations.members.get({ organization_id: DEMO_ORG.organization_id, member_id: 'member-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'member_not_found',
  },
  {
    rule: 'B2B: a member id looked up in another organization',
    call: async (e) => {
      const { organization } = await e.b2b.organizations.create({ organization_name: `Other ${uniqueEmail('o').split('@')[0]}` });
      return e.b2b.organizations.members.get({ organization_id: organization.organization_id, member_id: DEMO_MEMBER.member_id });
    },
    status: 404,
    error_type: 'member_not_found',
  },
  {
    rule: 'B2B: members.get with neither member_id nor email_address',
    call: (e) => e.b2b.organizations.members.get({ organization_id: DEMO_ORG.organization_id }),
    status: 400,
    error_type: 'bad_request',
  },
  {
    rule: 'B2B: a taken organization slug',
    call: (e) => e.b2b.organizations.create({ organization_name: 'Acme Again', organization_slug: 'acme' }),
    status: 400,
    error_type: 'organization_slug_already_used',
  },
  {
    rule: 'B2B: an invalid organization slug',
    call: (e) => e.b2b.organizations.create({ organization_name: 'Bad Slug', organization_slug: 'Not A Slug!' }),
    status: 400,
    error_type: 'invalid_organization_slug',
  },
  {
    rule: 'B2B: a second member with the same email',
    call: (e) => e.b2b.organizations.members.create({ organization_id: DEMO_ORG.organization_id, email_address: DEMO_MEMBER.email_address }),
    status: 409,
    error_type: 'duplicate_email',
  },
  {
    rule: 'B2B: password login with a wrong password',
    call: (e) =>
      e.b2b.passwords.authenticate({
        organization_id: DEMO_ORG.organization_id,
        email_address: DEMO_MEMBER.email_address,
        password: 'wrong-horse-battery-staple',
      }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'B2B: password login with an unknown email',
    call: (e) => e.b2b.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: uniqueEmail('nobody'), password: DEMO_PASSWORD }),
    status: 404,
    error_type: 'member_not_found',
  },
  {
    rule: 'B2B: password login into an unknown organization',
    call: (e) =>
      e.b2b.passwords.authenticate({
        organization_id: 'organization-test-00000000-0000-4000-8000-00000000dead',
        email_address: DEMO_MEMBER.email_address,
        password: DEMO_PASSWORD,
      }),
    status: 404,
    error_type: 'organization_not_found',
  },
  {
    rule: 'B2B: password login of a member who has no password',
    call: async (e) => {
      const email = uniqueEmail('nopw');
      await e.b2b.organizations.members.create({ organization_id: DEMO_ORG.organization_id, email_address: email });
      return e.b2b.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: email, password: DEMO_PASSWORD });
    },
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'B2B: migrate a bcrypt hash (no hasher in node:crypto)',
    call: (e) =>
      e.b2b.passwords.migrate({
        organization_id: DEMO_ORG.organization_id,
        email_address: uniqueEmail(),
        hash: '$2a$10$abcdefghijklmnopqrstuuE7jvPZqvQ4ZyGgQ2Vw7o6OQ3F3U5uW',
        hash_type: 'bcrypt',
      }),
    status: 400,
    error_type: 'invalid_hash_type',
  },
  {
    rule: 'B2B: migrate an scrypt hash with an N that is not a power of two',
    call: (e) =>
      e.b2b.passwords.migrate({
        organization_id: DEMO_ORG.organization_id,
        email_address: uniqueEmail(),
        hash: 'AAAA',
        hash_type: 'scrypt',
        scrypt_config: { salt: 'AAAA', n_parameter: 1000, r_parameter: 8, p_parameter: 1, key_length: 32 },
      }),
    status: 400,
    error_type: 'invalid_hash',
  },
  {
    rule: "B2B: a Consumer session JWT (another project's key)",
    call: (e) => e.b2b.sessions.authenticate({ session_jwt: e.login.session_jwt }),
    status: 401,
    error_type: 'unauthorized_credentials',
  },
  {
    rule: 'B2B: unknown session_token',
    call: (e) => e.b2b.sessions.authenticate({ session_token: 'y'.repeat(44) }),
    status: 404,
    error_type: 'session_not_found',
  },
  { rule: 'B2B: revoke with no identifier', call: (e) => e.b2b.sessions.revoke({}), status: 400, error_type: 'bad_request' },
  {
    rule: 'B2B: revoke the sessions of an unknown member',
    call: (e) => e.b2b.sessions.revoke({ member_id: 'member-test-00000000-0000-4000-8000-00000000dead' }),
    status: 404,
    error_type: 'member_not_found',
  },
  {
    rule: 'Consumer routes are not served by a B2B project',
    call: (e) =>
      raw(e, '/v1/passwords/authenticate', {
        harness: 'b',
        method: 'POST',
        headers: { authorization: basic(e.b.emulator.projectId, e.b.emulator.secret), 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_MEMBER.email_address, password: DEMO_PASSWORD }),
      }),
    status: 404,
    error_type: 'route_not_found',
  },
];

describe('identity API negative cases', () => {
  const env = {} as Env;
  beforeAll(async () => {
    [env.c, env.b] = await Promise.all([start('consumer'), start('b2b')]);
    env.consumer = consumerClient(env.c.emulator);
    env.b2b = b2bClient(env.b.emulator);
    env.login = await env.consumer.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
  });
  afterAll(async () => {
    await Promise.all([env.c.emulator.close(), env.b.emulator.close()]);
  });

  it.each(ROWS)('$rule → $status $error_type', async (row) => {
    let error: { status_code?: number; error_type?: string; request_id?: string; error_url?: string; http?: number };
    try {
      await row.call(env);
      throw new Error('expected an error, but the call succeeded');
    } catch (err) {
      error = err as typeof error;
    }
    expect({ status_code: error.status_code, error_type: error.error_type }).toEqual({ status_code: row.status, error_type: row.error_type });
    expect(error.request_id).toMatch(/^request-id-test-/);
    if (error.http !== undefined) expect(error.http).toBe(row.status);
    else expect(error.error_url).toContain(`/${row.status}#${row.error_type}`);
  });

  it("a failed call is a StytchError with the body's fields", async () => {
    const e = await stytchError(() => env.consumer.users.get({ user_id: 'user-test-00000000-0000-4000-8000-00000000dead' }));
    expect(e).toMatchObject({ status_code: 404, error_type: 'user_not_found', error_message: 'User could not be found.' });
  });
});
