/**
 * Session JWTs as ST-SESSION-JWT require, checked by the SDK's own local verification
 * (`authenticateJwtLocal`, `authenticateJwt`) and by decoding: header, issuer, audience, lifetime, claims.
 * The emulator's clock is moved to make JWTs expire, so the SDK's network fallback is exercised.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as stytch from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBER, DEMO_ORG, DEMO_PASSWORD, DEMO_USER, b2bClient, consumerClient, start, stytchError, type Harness } from './helpers.ts';

describe('Consumer session JWTs', () => {
  let h: Harness;
  let client: stytch.Client;
  beforeAll(async () => {
    h = await start('consumer');
    client = consumerClient(h.emulator);
  });
  afterAll(() => h.emulator.close());

  it("have Stytch's header and claims", async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const header = decodeProtectedHeader(res.session_jwt);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const jwks = await client.sessions.getJWKS({ project_id: h.emulator.projectId });
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);

    const claims = decodeJwt(res.session_jwt);
    expect(claims.iss).toBe(h.emulator.url);
    expect(claims.iss).not.toMatch(/\/$/);
    expect(claims.aud).toEqual([h.emulator.projectId]);
    expect(claims.sub).toBe(DEMO_USER.user_id);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims['https://stytch.com/session']).toEqual({
      id: res.session!.session_id,
      started_at: res.session!.started_at,
      last_accessed_at: res.session!.last_accessed_at,
      expires_at: res.session!.expires_at,
      attributes: { ip_address: '', user_agent: '' },
      authentication_factors: res.session!.authentication_factors,
      roles: ['stytch_user'],
    });
    expect(claims).not.toHaveProperty('https://stytch.com/organization');
  });

  it('are accepted by sessions.authenticateJwtLocal (no network call needed)', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const local = await client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt });
    expect(local).toMatchObject({ session_id: res.session!.session_id, user_id: DEMO_USER.user_id, roles: ['stytch_user'] });
    expect(Date.parse(local.expires_at!)).toBe(Date.parse(res.session!.expires_at!));
    const viaJwt = await client.sessions.authenticateJwt({ session_jwt: res.session_jwt });
    // A local success: the SDK returns the same JWT and no opaque token.
    expect(viaJwt.session_jwt).toBe(res.session_jwt);
    expect(viaJwt.session.session_id).toBe(res.session!.session_id);
  });

  it('never outlive the session itself', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 5 });
    const claims = decodeJwt(res.session_jwt);
    expect(claims.exp).toBe(Date.parse(res.session!.expires_at!) / 1000);
  });

  it('once expired, fail the local check, and authenticateJwt falls back to the API, which returns a fresh JWT', async () => {
    // Issue the JWT ten minutes in the past, as seen by the SDK's real clock.
    h.clock.advance(-600);
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    h.clock.advance(600);

    const local = await client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt }).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(stytch.ClientError);
    expect((local as stytch.ClientError).code).toBe('jwt_invalid');

    const fallback = await client.sessions.authenticateJwt({ session_jwt: res.session_jwt });
    expect(fallback.session.session_id).toBe(res.session!.session_id);
    expect(fallback.session_jwt).not.toBe(res.session_jwt);
    const fresh = await client.sessions.authenticateJwtLocal({ session_jwt: fallback.session_jwt });
    expect(fresh.session_id).toBe(res.session!.session_id);
  });

  it('max_token_age_seconds: 0 forces the network call', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    const viaApi = await client.sessions.authenticateJwt({ session_jwt: res.session_jwt, max_token_age_seconds: 0 });
    expect(viaApi.session.session_id).toBe(res.session!.session_id);
    expect((viaApi as { user?: { user_id: string } }).user?.user_id).toBe(DEMO_USER.user_id);
  });

  it('of a revoked session still verify locally until exp, but the API refuses them', async () => {
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 60 });
    await client.sessions.revoke({ session_id: res.session!.session_id });
    await expect(client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt })).resolves.toMatchObject({ session_id: res.session!.session_id });
    const e = await stytchError(() => client.sessions.authenticateJwt({ session_jwt: res.session_jwt, max_token_age_seconds: 0 }));
    expect(e).toMatchObject({ status_code: 404, error_type: 'session_not_found' });
  });

  it('of an expired session are refused by the API even through the fallback', async () => {
    h.clock.advance(-3600);
    const res = await client.passwords.authenticate({ email: DEMO_USER.email, password: DEMO_PASSWORD, session_duration_minutes: 30 });
    h.clock.advance(3600);
    const e = await stytchError(() => client.sessions.authenticateJwt({ session_jwt: res.session_jwt }));
    expect(e).toMatchObject({ status_code: 404, error_type: 'session_not_found' });
  });
});

describe('B2B session JWTs', () => {
  let h: Harness;
  let client: stytch.B2BClient;
  beforeAll(async () => {
    h = await start('b2b');
    client = b2bClient(h.emulator);
  });
  afterAll(() => h.emulator.close());

  it('carry the organization claim and are accepted locally', async () => {
    const res = await client.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
    });
    const claims = decodeJwt(res.session_jwt);
    expect(decodeProtectedHeader(res.session_jwt)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toMatchObject({ iss: h.emulator.url, aud: [h.emulator.projectId], sub: DEMO_MEMBER.member_id });
    expect(claims['https://stytch.com/organization']).toEqual({ organization_id: DEMO_ORG.organization_id, slug: 'acme' });
    expect(claims['https://stytch.com/session']).toMatchObject({ id: res.member_session!.member_session_id, roles: ['stytch_member'] });

    const local = await client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt });
    expect(local).toMatchObject({
      member_session_id: res.member_session!.member_session_id,
      member_id: DEMO_MEMBER.member_id,
      organization_id: DEMO_ORG.organization_id,
    });
  });

  it('once expired, authenticateJwt falls back to /v1/b2b/sessions/authenticate', async () => {
    h.clock.advance(-600);
    const res = await client.passwords.authenticate({
      organization_id: DEMO_ORG.organization_id,
      email_address: DEMO_MEMBER.email_address,
      password: DEMO_PASSWORD,
    });
    h.clock.advance(600);
    await expect(client.sessions.authenticateJwtLocal({ session_jwt: res.session_jwt })).rejects.toBeInstanceOf(stytch.ClientError);
    const fallback = await client.sessions.authenticateJwt({ session_jwt: res.session_jwt });
    expect(fallback.member_session.member_session_id).toBe(res.member_session!.member_session_id);
    expect(fallback.session_jwt).not.toBe(res.session_jwt);
  });
});
