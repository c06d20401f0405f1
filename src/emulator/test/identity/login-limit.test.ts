/**
 * AS-15: failed password logins are limited per account; past the limit every attempt gets
 * 429 `too_many_requests` with `Retry-After` until the window ends.
 */
import type * as stytch from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBER, DEMO_ORG, DEMO_PASSWORD, b2bClient, consumerClient, start, stytchError, uniqueEmail, type Harness } from './helpers.ts';

const LIMIT = { max: 3, windowSeconds: 60 };
const WRONG = 'wrong-horse-battery-staple';

describe('Consumer password login limit', () => {
  let h: Harness;
  let client: stytch.Client;
  beforeAll(async () => {
    h = await start('consumer', { passwordLoginLimit: LIMIT });
    client = consumerClient(h.emulator);
  });
  afterAll(() => h.emulator.close());

  async function newAccount(): Promise<string> {
    const email = uniqueEmail('limited');
    await client.passwords.create({ email, password: DEMO_PASSWORD });
    return email;
  }
  const wrong = (email: string) => stytchError(() => client.passwords.authenticate({ email, password: WRONG }));

  it('answers 429 with Retry-After after too many failures, even to the right password, until the window ends', async () => {
    const email = await newAccount();
    for (let i = 0; i < LIMIT.max; i++) expect((await wrong(email)).error_type).toBe('unauthorized_credentials');

    const limited = await stytchError(() => client.passwords.authenticate({ email, password: DEMO_PASSWORD, session_duration_minutes: 5 }));
    expect(limited).toMatchObject({ status_code: 429, error_type: 'too_many_requests' });

    h.clock.advance(20);
    const res = await fetch(`${h.emulator.url}/v1/passwords/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${h.emulator.projectId}:${h.emulator.secret}`).toString('base64')}` },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(LIMIT.windowSeconds - 20));
    expect(await res.json()).toMatchObject({ status_code: 429, error_type: 'too_many_requests' });

    h.clock.advance(LIMIT.windowSeconds);
    const ok = await client.passwords.authenticate({ email, password: DEMO_PASSWORD, session_duration_minutes: 5 });
    expect(ok.session_token).not.toBe('');
  });

  it('counts per account: another account is not affected', async () => {
    const locked = await newAccount();
    const other = await newAccount();
    for (let i = 0; i < LIMIT.max; i++) await wrong(locked);
    expect((await wrong(locked)).error_type).toBe('too_many_requests');
    expect((await wrong(other)).error_type).toBe('unauthorized_credentials');
    await client.passwords.authenticate({ email: other, password: DEMO_PASSWORD });
  });

  it('counts failures only: a successful login resets the count', async () => {
    const email = await newAccount();
    for (let i = 0; i < LIMIT.max - 1; i++) await wrong(email);
    await client.passwords.authenticate({ email, password: DEMO_PASSWORD });
    for (let i = 0; i < LIMIT.max - 1; i++) expect((await wrong(email)).error_type).toBe('unauthorized_credentials');
  });

  it('also limits guessing at unknown emails', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < LIMIT.max; i++) {
      expect((await stytchError(() => client.passwords.authenticate({ email, password: WRONG }))).error_type).toBe('email_not_found');
    }
    expect((await stytchError(() => client.passwords.authenticate({ email, password: WRONG }))).error_type).toBe('too_many_requests');
  });
});

describe('B2B password login limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start('b2b', { passwordLoginLimit: LIMIT });
  });
  afterAll(() => h.emulator.close());

  it('answers 429 too_many_requests past the limit', async () => {
    const client = b2bClient(h.emulator);
    const attempt = (password: string) =>
      client.passwords.authenticate({ organization_id: DEMO_ORG.organization_id, email_address: DEMO_MEMBER.email_address, password });
    for (let i = 0; i < LIMIT.max; i++) expect((await stytchError(() => attempt(WRONG))).error_type).toBe('unauthorized_credentials');
    expect(await stytchError(() => attempt(DEMO_PASSWORD))).toMatchObject({ status_code: 429, error_type: 'too_many_requests' });
  });
});
