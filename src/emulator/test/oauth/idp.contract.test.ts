/**
 * Contract tests: the IDP side through the real SDK, Consumer and B2B: idp.oauth.authorizeStart /
 * authorize (identity by id or session, consent rules, scope_results, org policy), local and network
 * introspection (with RBAC authorization checks), the per-person Connected Apps views and revocation,
 * the RBAC policy endpoints, and sessions.exchangeAccessToken.
 */
import type * as stytch from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRbacSeed } from '../../rbac.ts';
import type { RunningEmulator } from '../../index.ts';
import { b2bClient, consumerClient, DEMO_PASSWORD } from '../identity/helpers.ts';
import {
  DEMO_MEMBER,
  DEMO_ORG,
  DEMO_USER,
  REDIRECT,
  authorize,
  createClient,
  start,
  stytchError,
  tokensFor,
  type Harness,
  type TestClient,
} from './helpers.ts';

const RBAC = {
  scopes: [
    { scope: 'read:reports', description: 'Read your reports', permissions: [{ resource_id: 'reports', actions: ['read'] }] },
    { scope: 'admin:billing', description: 'Manage billing', permissions: [{ resource_id: 'billing', actions: ['*'] }] },
  ],
  roles: [
    { role_id: 'stytch_user', description: 'Every user', permissions: [{ resource_id: 'reports', actions: ['read'] }] },
    { role_id: 'stytch_member', description: 'Every member', permissions: [{ resource_id: 'reports', actions: ['read'] }] },
  ],
};

describe('Consumer: idp.oauth and friends', () => {
  let h: Harness;
  let em: RunningEmulator;
  let api: stytch.Client;
  beforeAll(async () => {
    // Real time: the SDK's local JWT checks use the real clock.
    h = await start('consumer', { now: () => Math.floor(Date.now() / 1000) });
    em = h.emulator;
    api = consumerClient(em);
    applyRbacSeed(em.ctx, RBAC);
  });
  afterAll(() => em.close());

  const startReq = (client: TestClient, scopes: string[], extra: Record<string, string> = {}) =>
    api.idp.oauth.authorizeStart({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scopes, user_id: DEMO_USER.user_id, ...extra });

  it('authorizeStart returns the user, the public client, consent_required and scope_results', async () => {
    const client = await createClient(em, {
      client_type: 'third_party',
      client_description: 'Reads reports',
      logo_url: 'https://client.example.test/logo.png',
    });
    const res = await startReq(client, ['openid', 'email', 'read:reports', 'admin:billing']);
    expect(res).toMatchObject({ status_code: 200, user_id: DEMO_USER.user_id, user: { user_id: DEMO_USER.user_id }, consent_required: true });
    expect(res.client).toEqual({
      client_id: client.client_id,
      client_name: 'Test third_party',
      client_description: 'Reads reports',
      client_type: 'third_party',
      logo_url: 'https://client.example.test/logo.png',
    });
    expect(res.scope_results).toEqual([
      { scope: 'openid', description: expect.any(String), is_grantable: true },
      { scope: 'email', description: expect.any(String), is_grantable: true },
      { scope: 'read:reports', description: 'Read your reports', is_grantable: true },
      // No role of the user covers billing:*.
      { scope: 'admin:billing', description: 'Manage billing', is_grantable: false },
    ]);
  });

  it('authorize drops ungrantable scopes from the grant (UNCONFIRMED behaviour)', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'read:reports', 'admin:billing'] });
    expect(tokens.scope).toBe('openid read:reports');
  });

  it('authorizeStart with an empty scope list → 400 oauth_invalid_scope_requested', async () => {
    const client = await createClient(em, { client_type: 'first_party' });
    expect(await stytchError(() => startReq(client, []))).toMatchObject({ status_code: 400, error_type: 'oauth_invalid_scope_requested' });
  });

  it('authorizeStart with an unknown scope → 400 oauth_invalid_scope_requested', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    expect(await stytchError(() => startReq(client, ['openid', 'write:everything']))).toMatchObject({
      status_code: 400,
      error_type: 'oauth_invalid_scope_requested',
    });
  });

  it('identifies the user by session_token and by session_jwt, and refuses two identifiers', async () => {
    const client = await createClient(em, { client_type: 'first_party' });
    const login = await api.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    for (const identity of [{ session_token: login.session_token }, { session_jwt: login.session_jwt }]) {
      const res = await api.idp.oauth.authorizeStart({
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scopes: ['openid'],
        ...identity,
      });
      expect(res.user_id).toBe(DEMO_USER.user_id);
    }
    const err = await stytchError(() => startReq(client, ['openid'], { session_token: login.session_token }));
    expect(err.status_code).toBe(400);
  });

  describe('consent_required follows Stytch’s rules', () => {
    it.each([
      ['first-party client', 'first_party', {}, ['openid', 'email'], false],
      ['first-party public client', 'first_party_public', {}, ['openid', 'email'], false],
      ['first-party client asking offline_access', 'first_party', {}, ['openid', 'offline_access'], true],
      [
        'first-party client with bypass_consent_for_offline_access',
        'first_party',
        { bypass_consent_for_offline_access: true },
        ['openid', 'offline_access'],
        false,
      ],
      ['third-party client, first time', 'third_party', {}, ['openid'], true],
      ['third-party public client, first time', 'third_party_public', {}, ['openid'], true],
    ] as const)('%s → %s', async (_what, clientType, fields, scopes, required) => {
      const client = await createClient(em, { client_type: clientType, ...fields });
      expect((await startReq(client, [...scopes])).consent_required).toBe(required);
    });

    it('prompt=consent always asks, even a first-party client', async () => {
      const client = await createClient(em, { client_type: 'first_party' });
      expect((await startReq(client, ['openid'], { prompt: 'consent' })).consent_required).toBe(true);
    });

    it('a third-party client is not asked again for the same scope set, but is for another set', async () => {
      const client = await createClient(em, { client_type: 'third_party' });
      await authorize(em, { client, scopes: ['openid', 'email'], consent_granted: true });
      expect((await startReq(client, ['email', 'openid'])).consent_required).toBe(false);
      expect((await startReq(client, ['openid', 'email', 'profile'])).consent_required).toBe(true);
      expect((await startReq(client, ['openid'])).consent_required).toBe(true);
    });
  });

  it('consent_granted:false when consent was not required still issues a code', async () => {
    const client = await createClient(em, { client_type: 'first_party' });
    const res = await authorize(em, { client, scopes: ['openid'], consent_granted: false });
    expect(res.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(res.redirect_uri).searchParams.get('code')).toBe(res.code);
  });

  it('introspectTokenLocal and introspectTokenNetwork accept the access token; RBAC checks use its scopes', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'read:reports'] });
    const local = await api.idp.introspectTokenLocal(tokens.access_token);
    expect(local).toMatchObject({
      subject: DEMO_USER.user_id,
      scope: 'openid read:reports',
      audience: [em.projectId],
      issuer: em.url,
      token_type: 'access_token',
    });
    expect(local.custom_claims).toMatchObject({ client_id: client.client_id });
    const network = await api.idp.introspectTokenNetwork({ token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret! });
    expect(network).toMatchObject({ subject: DEMO_USER.user_id, scope: 'openid read:reports', issuer: em.url, token_type: 'access_token' });

    await api.idp.introspectTokenLocal(tokens.access_token, { authorization_check: { resource_id: 'reports', action: 'read' } });
    await expect(api.idp.introspectTokenLocal(tokens.access_token, { authorization_check: { resource_id: 'reports', action: 'write' } })).rejects.toMatchObject(
      {
        code: 'invalid_permissions',
      },
    );
  });

  it('introspectTokenNetwork reports a revoked token as not active', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const tokens = await tokensFor(em, client);
    await api.users.revoke({ user_id: DEMO_USER.user_id, connected_app_id: client.client_id } as Parameters<stytch.Client['users']['revoke']>[0]);
    await expect(
      api.idp.introspectTokenNetwork({ token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret! }),
    ).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });

  it('users.connectedApps lists authorized apps; users.revoke ends the grant', async () => {
    const client = await createClient(em, { client_type: 'third_party', client_description: 'Listed' });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'email', 'offline_access'] });
    const listed = await api.users.connectedApps({ user_id: DEMO_USER.user_id });
    expect(listed.connected_apps).toContainEqual({
      connected_app_id: client.client_id,
      name: 'Test third_party',
      description: 'Listed',
      client_type: 'third_party',
      scopes_granted: 'email offline_access openid',
    });
    const revoked = await api.users.revoke({ user_id: DEMO_USER.user_id, connected_app_id: client.client_id } as Parameters<
      stytch.Client['users']['revoke']
    >[0]);
    expect(revoked.status_code).toBe(200);
    expect((await api.users.connectedApps({ user_id: DEMO_USER.user_id })).connected_apps.map((a) => a.connected_app_id)).not.toContain(client.client_id);
    const refresh = await fetch(`${em.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: client.client_id,
        client_secret: client.client_secret!,
      }),
    });
    expect(refresh.status).toBe(400);
    // Consent is forgotten too: the next authorization asks again.
    expect((await startReq(client, ['openid', 'email', 'offline_access'])).consent_required).toBe(true);
  });

  it('after users.revoke, a first-party client is asked for consent again until the user consents anew', async () => {
    const client = await createClient(em, { client_type: 'first_party' });
    await tokensFor(em, client, { scopes: ['openid', 'email'] });
    expect((await startReq(client, ['openid', 'email'])).consent_required).toBe(false);
    await api.users.revoke({ user_id: DEMO_USER.user_id, connected_app_id: client.client_id } as Parameters<stytch.Client['users']['revoke']>[0]);
    expect((await startReq(client, ['openid', 'email'])).consent_required).toBe(true);
    await tokensFor(em, client, { scopes: ['openid', 'email'] });
    expect((await startReq(client, ['openid', 'email'])).consent_required).toBe(false);
  });

  it('rbac.policy returns the project policy with the built-in role', async () => {
    const res = await api.rbac.policy();
    expect(res.policy?.scopes.map((s) => s.scope)).toEqual(['read:reports', 'admin:billing']);
    expect(res.policy?.roles.map((r) => r.role_id)).toContain('stytch_user');
    expect(res.policy?.resources.map((r) => r.resource_id).sort()).toEqual(['billing', 'reports']);
  });

  it('sessions.exchangeAccessToken: a first-party full_access token made with a session becomes a session', async () => {
    const client = await createClient(em, { client_type: 'first_party', full_access_allowed: true });
    const login = await api.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'full_access'], identity: { session_token: login.session_token } });
    expect(tokens.scope).toBe('openid full_access');
    const res = await api.sessions.exchangeAccessToken({ access_token: tokens.access_token, session_duration_minutes: 30 });
    expect(res).toMatchObject({ user_id: DEMO_USER.user_id, session_token: expect.stringMatching(/^.{20,}$/), session_jwt: expect.stringMatching(/^eyJ/) });
    expect(res.session?.authentication_factors[0]).toMatchObject({
      type: 'oauth_access_token_exchange',
      oauth_access_token_exchange_factor: { client_id: client.client_id },
    });
    const authenticated = await api.sessions.authenticate({ session_token: res.session_token });
    expect(authenticated.user.user_id).toBe(DEMO_USER.user_id);
  });

  it.each([
    ['a token without full_access', { full_access_allowed: true }, ['openid'], true],
    ['an authorization made with a bare user_id', { full_access_allowed: true }, ['openid', 'full_access'], false],
  ])('sessions.exchangeAccessToken refuses %s', async (_what, fields, scopes, withSession) => {
    const client = await createClient(em, { client_type: 'first_party', ...fields });
    const login = await api.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const tokens = await tokensFor(em, client, { scopes, ...(withSession ? { identity: { session_token: login.session_token } } : {}) });
    const err = await stytchError(() => api.sessions.exchangeAccessToken({ access_token: tokens.access_token, session_duration_minutes: 30 }));
    expect(err).toMatchObject({ status_code: 404, error_type: 'idp_access_token_could_not_be_exchanged' });
  });

  it('an empty response_type means code (Stytch defaults it server-side; idpHelpers.ts), any other is refused', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    expect((await startReq(client, ['openid'], { response_type: '' })).status_code).toBe(200);
    expect(await stytchError(() => startReq(client, ['openid'], { response_type: 'token' }))).toMatchObject({ status_code: 400, error_type: 'bad_request' });
  });

  it('full_access is grantable only by a first-party client with full_access_allowed', async () => {
    const without = await createClient(em, { client_type: 'first_party' });
    const third = await createClient(em, { client_type: 'third_party' });
    for (const client of [without, third]) {
      expect((await startReq(client, ['openid', 'full_access'])).scope_results[1]).toMatchObject({ scope: 'full_access', is_grantable: false });
    }
  });
});

describe('B2B: idp.oauth and friends', () => {
  let h: Harness;
  let em: RunningEmulator;
  let api: stytch.B2BClient;
  beforeAll(async () => {
    h = await start('b2b', { now: () => Math.floor(Date.now() / 1000) });
    em = h.emulator;
    api = b2bClient(em);
    applyRbacSeed(em.ctx, RBAC);
  });
  afterAll(() => em.close());

  const member = { organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id };

  it('authorizeStart returns member_id, member, organization and the client', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const res = await api.idp.oauth.authorizeStart({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scopes: ['openid', 'read:reports'],
      ...member,
    });
    expect(res).toMatchObject({
      member_id: DEMO_MEMBER.member_id,
      member: { member_id: DEMO_MEMBER.member_id, email_address: DEMO_MEMBER.email_address },
      organization: { organization_id: DEMO_ORG.organization_id, organization_slug: 'acme' },
      client: { client_id: client.client_id, client_type: 'third_party' },
      consent_required: true,
      scope_results: [
        { scope: 'openid', is_grantable: true },
        { scope: 'read:reports', description: 'Read your reports', is_grantable: true },
      ],
    });
  });

  it('tokens carry the organization claim; local and network introspection return it; RBAC checks are tenant-bound', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'read:reports'] });
    const local = await api.idp.introspectTokenLocal(tokens.access_token);
    expect(local).toMatchObject({ subject: DEMO_MEMBER.member_id, organization: { organization_id: DEMO_ORG.organization_id, slug: 'acme' } });
    const network = await api.idp.introspectTokenNetwork({ token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret! });
    expect(network).toMatchObject({ subject: DEMO_MEMBER.member_id, organization: { organization_id: DEMO_ORG.organization_id, slug: 'acme' } });

    await api.idp.introspectTokenLocal(tokens.access_token, {
      authorization_check: { organization_id: DEMO_ORG.organization_id, resource_id: 'reports', action: 'read' },
    });
    await expect(
      api.idp.introspectTokenLocal(tokens.access_token, {
        authorization_check: { organization_id: 'organization-test-other', resource_id: 'reports', action: 'read' },
      }),
    ).rejects.toMatchObject({ code: 'tenancy_mismatch' });
  });

  it.each<[string, 'third_party' | 'first_party', Partial<stytch.B2BOrganizationsCreateRequest>]>([
    ['NOT_ALLOWED third-party apps', 'third_party', { third_party_connected_apps_allowed_type: 'NOT_ALLOWED' }],
    [
      'RESTRICTED first-party apps, client not listed',
      'first_party',
      { first_party_connected_apps_allowed_type: 'RESTRICTED', allowed_first_party_connected_apps: [] },
    ],
  ])('an organization with %s refuses its members → connected_app_not_allowed_for_org, no code', async (_what, clientType, policy) => {
    const client = await createClient(em, { client_type: clientType });
    const org = await api.organizations.create({ organization_name: `Policy ${clientType} ${Date.now()}`, ...policy });
    const created = await api.organizations.members.create({
      organization_id: org.organization.organization_id,
      email_address: `m-${clientType}-${Date.now()}@policy.example`,
    });
    const identity = { organization_id: org.organization.organization_id, member_id: created.member_id };
    const err = await stytchError(() => authorize(em, { client, identity }));
    expect(err).toMatchObject({ status_code: 400, error_type: 'connected_app_not_allowed_for_org' });
    // The demo organization (ALL_ALLOWED) still may.
    expect((await authorize(em, { client })).code).not.toBe('');
  });

  it('a RESTRICTED organization allows the clients it lists', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const org = await api.organizations.create({
      organization_name: `Listed ${Date.now()}`,
      third_party_connected_apps_allowed_type: 'RESTRICTED',
      allowed_third_party_connected_apps: [client.client_id],
    });
    const created = await api.organizations.members.create({
      organization_id: org.organization.organization_id,
      email_address: `listed-${Date.now()}@policy.example`,
    });
    const res = await authorize(em, { client, identity: { organization_id: org.organization.organization_id, member_id: created.member_id } });
    expect(res.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('members.getConnectedApps, organizations.connectedApps / getConnectedApp, and member revoke', async () => {
    const client = await createClient(em, { client_type: 'third_party', client_description: 'B2B app' });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'email'] });
    const mine = await api.organizations.members.getConnectedApps(member);
    expect(mine.connected_apps).toContainEqual({
      connected_app_id: client.client_id,
      name: 'Test third_party',
      description: 'B2B app',
      client_type: 'third_party',
      scopes_granted: 'email openid',
    });
    const orgApps = await api.organizations.connectedApps({ organization_id: DEMO_ORG.organization_id });
    expect(orgApps.connected_apps.map((a) => a.connected_app_id)).toContain(client.client_id);
    const one = await api.organizations.getConnectedApp({ organization_id: DEMO_ORG.organization_id, connected_app_id: client.client_id });
    expect(one).toMatchObject({
      connected_app_id: client.client_id,
      active_members: [{ member_id: DEMO_MEMBER.member_id, granted_scopes: ['email', 'openid'] }],
    });

    await api.organizations.members.connectedApps.revoke({ ...member, connected_app_id: client.client_id });
    expect((await api.organizations.members.getConnectedApps(member)).connected_apps.map((a) => a.connected_app_id)).not.toContain(client.client_id);
    await expect(
      api.idp.introspectTokenNetwork({ token: tokens.access_token, client_id: client.client_id, client_secret: client.client_secret! }),
    ).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });

  it('rbac.policy and rbac.organizations.getOrgPolicy', async () => {
    const policy = await api.rbac.policy();
    expect(policy.policy?.roles.map((r) => r.role_id)).toEqual(expect.arrayContaining(['stytch_member', 'stytch_admin']));
    const org = await api.rbac.organizations.getOrgPolicy({ organization_id: DEMO_ORG.organization_id });
    expect(org).toMatchObject({ status_code: 200, org_policy: { roles: [] } });
  });

  it('sessions.exchangeAccessToken returns a member session', async () => {
    const client = await createClient(em, { client_type: 'first_party', full_access_allowed: true });
    const login = await api.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
      session_duration_minutes: 60,
    });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'full_access'], identity: { session_token: login.session_token } });
    const res = await api.sessions.exchangeAccessToken({ access_token: tokens.access_token, session_duration_minutes: 30 });
    expect(res).toMatchObject({
      member_id: DEMO_MEMBER.member_id,
      organization: { organization_id: DEMO_ORG.organization_id },
      member_session: { member_id: DEMO_MEMBER.member_id },
    });
  });
});
