/**
 * resolveIdentity (used by the IDP endpoints) and the OIDC profile mapping, called directly on the context.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StytchApiError } from '../../errors.ts';
import { memberProfile, oidcProfile, splitMemberName, claimsForScopes } from '../../identity/claims.ts';
import type { Member } from '../../identity/model.ts';
import { resolveIdentity } from '../../identity/resolve.ts';
import { createSession } from '../../identity/sessions.ts';
import { passwordFactor } from '../../identity/model.ts';
import { DEMO_MEMBER, DEMO_ORG, DEMO_PASSWORD, DEMO_USER, b2bClient, consumerClient, start, type Harness } from './helpers.ts';

async function rejection(p: Promise<unknown>): Promise<{ status: number; errorType: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StytchApiError);
  const { status, errorType } = err as StytchApiError;
  return { status, errorType };
}

describe('Consumer resolveIdentity', () => {
  let h: Harness;
  let login: { session_token: string; session_jwt: string };
  beforeAll(async () => {
    h = await start('consumer');
    login = await consumerClient(h.emulator).passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
  });
  afterAll(() => h.emulator.close());

  it('by user_id, session_token or session_jwt', async () => {
    const byId = await resolveIdentity(h.emulator.ctx, { user_id: DEMO_USER.user_id });
    expect(byId).toMatchObject({ kind: 'user', user: { user_id: DEMO_USER.user_id } });
    expect(byId.session).toBeUndefined();
    for (const fields of [{ session_token: login.session_token }, { session_jwt: login.session_jwt }]) {
      const identity = await resolveIdentity(h.emulator.ctx, fields);
      expect(identity.kind).toBe('user');
      if (identity.kind !== 'user') continue;
      expect(identity.user.user_id).toBe(DEMO_USER.user_id);
      expect(identity.session?.user_id).toBe(DEMO_USER.user_id);
    }
  });

  it.each([
    ['none', {}, 400, 'bad_request'],
    ['two identifiers', { user_id: DEMO_USER.user_id, session_token: 'x' }, 400, 'bad_request'],
    ['unknown user', { user_id: 'user-test-00000000-0000-4000-8000-00000000dead' }, 404, 'user_not_found'],
    ['unknown session token', { session_token: 'z'.repeat(44) }, 404, 'session_not_found'],
    ['a JWT that is not a JWT', { session_jwt: 'not.a.jwt' }, 401, 'unauthorized_credentials'],
  ] as const)('rejects %s', async (_name, fields, status, errorType) => {
    expect(await rejection(resolveIdentity(h.emulator.ctx, fields))).toEqual({ status, errorType });
  });

  it('rejects a session JWT past its 5-minute exp with 401, although the session lives', async () => {
    h.clock.advance(-600);
    const old = await consumerClient(h.emulator).passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    h.clock.advance(600);
    expect(await rejection(resolveIdentity(h.emulator.ctx, { session_jwt: old.session_jwt }))).toEqual({ status: 401, errorType: 'unauthorized_credentials' });
    await expect(resolveIdentity(h.emulator.ctx, { session_token: old.session_token })).resolves.toMatchObject({ kind: 'user' });
  });

  it('createSession issues a session the SDK then authenticates (as exchange_access_token needs)', async () => {
    const identity = await resolveIdentity(h.emulator.ctx, { user_id: DEMO_USER.user_id });
    if (identity.kind !== 'user') throw new Error('expected a user');
    const issued = await createSession(h.emulator.ctx, identity, 30, [passwordFactor(h.clock.now())], { customClaims: { via: 'test' } });
    const res = await consumerClient(h.emulator).sessions.authenticate({ session_token: issued.session_token });
    expect(res.session).toMatchObject({ session_id: issued.session.session_id, custom_claims: { via: 'test' } });
  });

  it('maps the user to OIDC claims', async () => {
    const identity = await resolveIdentity(h.emulator.ctx, { user_id: DEMO_USER.user_id });
    const profile = oidcProfile(identity);
    expect(profile).toEqual({
      sub: DEMO_USER.user_id,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: DEMO_USER.email,
      email_verified: true,
      phone_number: '+14155550100',
      phone_number_verified: true,
    });
    expect(claimsForScopes(profile, ['openid', 'email'])).toEqual({ sub: DEMO_USER.user_id, email: DEMO_USER.email, email_verified: true });
  });
});

describe('B2B resolveIdentity', () => {
  let h: Harness;
  let login: { session_token: string; session_jwt: string };
  beforeAll(async () => {
    h = await start('b2b');
    login = await b2bClient(h.emulator).passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
    });
  });
  afterAll(() => h.emulator.close());

  it('by organization_id + member_id, session_token or session_jwt', async () => {
    for (const fields of [
      { organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id },
      { session_token: login.session_token },
      { session_jwt: login.session_jwt },
    ]) {
      const identity = await resolveIdentity(h.emulator.ctx, fields);
      expect(identity).toMatchObject({
        kind: 'member',
        member: { member_id: DEMO_MEMBER.member_id },
        organization: { organization_id: DEMO_ORG.organization_id },
      });
    }
  });

  it.each([
    ['none', {}, 400, 'bad_request'],
    ['member_id without organization_id', { member_id: DEMO_MEMBER.member_id }, 400, 'bad_request'],
    ['member and session together', { organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id, session_token: 'x' }, 400, 'bad_request'],
    [
      'unknown organization',
      { organization_id: 'organization-test-00000000-0000-4000-8000-00000000dead', member_id: DEMO_MEMBER.member_id },
      404,
      'organization_not_found',
    ],
    ['unknown member', { organization_id: DEMO_ORG.organization_id, member_id: 'member-test-00000000-0000-4000-8000-00000000dead' }, 404, 'member_not_found'],
  ] as const)('rejects %s', async (_name, fields, status, errorType) => {
    expect(await rejection(resolveIdentity(h.emulator.ctx, fields))).toEqual({ status, errorType });
  });

  it('maps the member to OIDC claims, splitting the name at the last space', async () => {
    const identity = await resolveIdentity(h.emulator.ctx, { organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id });
    expect(oidcProfile(identity)).toEqual({
      sub: DEMO_MEMBER.member_id,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: DEMO_MEMBER.email_address,
      email_verified: true,
    });
    expect(splitMemberName('Ada  King   Lovelace')).toEqual({ given_name: 'Ada King', family_name: 'Lovelace' });
    expect(splitMemberName('Plato')).toEqual({ given_name: 'Plato' });
    expect(memberProfile({ ...(identity as { member: Member }).member, name: '' })).not.toHaveProperty('name');
  });
});
