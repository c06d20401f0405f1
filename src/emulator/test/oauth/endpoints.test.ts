/**
 * The project domain's other endpoints: discovery (both documents and the legacy path), the JWKS, the
 * token endpoint's other input forms (JSON body, client_secret_post, openid-client's Basic encoding),
 * userinfo's bearer rules, the /v1/oauth2/authorize front door, and Dynamic Client Registration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../index.ts';
import { DOCUMENTED_DISCOVERY_FIELDS } from '../../routes/well-known.ts';
import { consumerClient } from '../identity/helpers.ts';
import { REDIRECT, authorize, basic, createClient, postForm, sdk, start, stytchError, tokensFor, type Harness, type TestClient } from './helpers.ts';

let h: Harness;
let em: RunningEmulator;
let conf: TestClient;
beforeAll(async () => {
  h = await start('consumer');
  em = h.emulator;
  conf = await createClient(em, { client_type: 'third_party' });
});
afterAll(() => em.close());

const sdkClient = async (clientId: string) => (await sdk(em).connectedApp.clients.get({ client_id: clientId })).connected_app;

const getJson = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${em.url}${path}`, init);
  return { res, body: (await res.json()) as Record<string, unknown> };
};

describe('discovery and JWKS', () => {
  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])(
    '%s: one issuer, the emulator’s endpoints, the Authorization URL',
    async (path) => {
      const { res, body } = await getJson(path);
      expect(res.status).toBe(200);
      expect(body).toMatchObject({
        issuer: em.url,
        authorization_endpoint: 'http://localhost:3000/oauth/authorize',
        token_endpoint: `${em.url}/v1/oauth2/token`,
        userinfo_endpoint: `${em.url}/v1/oauth2/userinfo`,
        jwks_uri: `${em.url}/.well-known/jwks.json`,
        revocation_endpoint: `${em.url}/v1/oauth2/revoke`,
        introspection_endpoint: `${em.url}/v1/oauth2/introspect`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
      expect(body.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'phone', 'offline_access', 'read:reports']));
      // The demo seeds turn DCR on, as MCP clients need it.
      expect(body.registration_endpoint).toBe(`${em.url}/v1/oauth2/register`);
    },
  );

  it('with the discovery_extensions guess off: exactly the fields Stytch documents, plus registration_endpoint with DCR and client_id_metadata_document_supported with CIMD', async () => {
    const documented = [...DOCUMENTED_DISCOVERY_FIELDS, 'request_id', 'status_code'].sort();
    em.ctx.updateSettings({ discovery_extensions: false, dynamic_client_registration: false, client_id_metadata_documents: false });
    try {
      expect(Object.keys((await getJson('/.well-known/openid-configuration')).body).sort()).toEqual(documented);
      em.ctx.updateSettings({ dynamic_client_registration: true, client_id_metadata_documents: true });
      const { body } = await getJson('/.well-known/oauth-authorization-server');
      expect(Object.keys(body).sort()).toEqual([...documented, 'registration_endpoint', 'client_id_metadata_document_supported'].sort());
      expect(body.registration_endpoint).toBe(`${em.url}/v1/oauth2/register`);
      expect(body.client_id_metadata_document_supported).toBe(true);
    } finally {
      // Back to the demo seed's settings.
      em.ctx.updateSettings({ discovery_extensions: true, dynamic_client_registration: true, client_id_metadata_documents: true });
    }
  });

  it('a wrong client secret is 401 invalid_client with a Basic challenge; 400 with the token_client_auth_401 guess off', async () => {
    const wrong = { ...conf, client_secret: 'secret-test-wrong' };
    const res = await postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { client: wrong });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    em.ctx.updateSettings({ token_client_auth_401: false });
    try {
      const off = await postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { client: wrong });
      expect(off.status).toBe(400);
      expect(((await off.json()) as { error: string }).error).toBe('invalid_client');
      expect(off.headers.get('www-authenticate')).toBeNull();
    } finally {
      em.ctx.updateSettings({ token_client_auth_401: true });
    }
  });

  it('domain modes: custom answers one issuer; default says iss=stytch.com/{project_id} in the authorization response only', async () => {
    const issOf = async () => new URL((await authorize(em, { client: conf })).redirect_uri).searchParams.get('iss');
    expect(await issOf()).toBe(em.url);
    em.ctx.updateSettings({ domain: 'default' });
    try {
      expect(await issOf()).toBe(`stytch.com/${em.projectId}`);
      // Tokens and discovery keep the project domain (Stytch's Connected Apps FAQ).
      expect((await getJson('/.well-known/openid-configuration')).body.issuer).toBe(em.url);
      const tokens = await tokensFor(em, conf);
      expect(JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString()).iss).toBe(em.url);
    } finally {
      em.ctx.updateSettings({ domain: 'custom' });
    }
  });

  it('the legacy /v1/public/{project_id} discovery path serves the same document; another project id is 404', async () => {
    expect((await getJson(`/v1/public/${em.projectId}/.well-known/openid-configuration`)).body.issuer).toBe(em.url);
    expect((await getJson('/v1/public/project-test-other/.well-known/openid-configuration')).res.status).toBe(404);
  });

  it('without an Authorization URL, discovery answers authorization_endpoint_not_configured_for_project', async () => {
    const bare = await start('consumer', {
      seed: false,
      projectId: 'project-test-00000000-0000-4000-8000-0000000bare0',
      secret: 'secret-test-BareProjectSecret_0000000000',
    });
    try {
      const res = await fetch(`${bare.emulator.url}/.well-known/openid-configuration`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error_type: string }).error_type).toBe('authorization_endpoint_not_configured_for_project');
    } finally {
      await bare.emulator.close();
    }
  });

  it('the JWKS is public keys only, each with kid, kty RSA, alg RS256, use sig', async () => {
    const { body } = await getJson('/.well-known/jwks.json');
    const keys = body.keys as Array<Record<string, unknown>>;
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.stringMatching(/^jwk-test-/), kty: 'RSA', alg: 'RS256', use: 'sig', n: expect.any(String), e: 'AQAB' });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    }
  });
});

describe('token endpoint input forms', () => {
  it('accepts a JSON body with client_secret_post', async () => {
    const { code } = await authorize(em, { client: conf });
    const res = await fetch(`${em.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: conf.client_id, client_secret: conf.client_secret }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'bearer', expires_in: 3600, access_token: expect.stringMatching(/^eyJ/) });
  });

  it('decodes Basic credentials that are form-url-encoded (openid-client sends connected%2Dapp%2D…)', async () => {
    const header = basic(conf);
    expect(Buffer.from(header.slice(6), 'base64').toString()).toContain('connected%2Dapp%2Dtest%2D');
    const { code } = await authorize(em, { client: conf });
    const res = await postForm(
      em,
      '/v1/oauth2/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { headers: { authorization: header } },
    );
    expect(res.status).toBe(200);
  });

  it('accepts raw (unencoded) Basic credentials too, as curl -u sends them', async () => {
    const { code } = await authorize(em, { client: conf });
    const raw = `Basic ${Buffer.from(`${conf.client_id}:${conf.client_secret}`).toString('base64')}`;
    const res = await postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { headers: { authorization: raw } });
    expect(res.status).toBe(200);
  });

  it('access tokens carry Stytch’s claims; the client’s expiry and custom audience apply', async () => {
    const client = await createClient(em, {
      client_type: 'third_party',
      access_token_expiry_minutes: 15,
      access_token_custom_audience: 'https://api.example.test',
    });
    const tokens = await tokensFor(em, client, { scopes: ['openid', 'email'] });
    expect(tokens.expires_in).toBe(900);
    const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({
      iss: em.url,
      aud: [em.projectId, 'https://api.example.test'],
      client_id: client.client_id,
      scope: 'openid email',
      sub: expect.stringMatching(/^user-test-/),
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
  });
});

describe('code exchange: a code is spent by its first use, whatever the outcome', () => {
  const exchange = (code: string) => postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { client: conf });

  it('a person deleted after authorizing: invalid_grant, and the code stays spent (its next use is a replay)', async () => {
    const users = consumerClient(em).users;
    const { user_id } = await users.create({ email: 'gone-before-the-exchange@example.com' });
    const { code } = await authorize(em, { client: conf, identity: { user_id } });
    await users.delete({ user_id });
    const first = await exchange(code);
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('no longer exists') });
    const again = await exchange(code);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('already been used') });
  });
});

describe('JSON answers carry the headers Express’s res.json gave them', () => {
  it.each([
    ['a success', () => fetch(`${em.url}/.well-known/openid-configuration`), 200],
    ['a Stytch error', () => fetch(`${em.url}/v1/users/nobody`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } }), 401],
    ['an OAuth error', () => postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code: 'nope' }, { client: conf }), 400],
  ] as const)('%s: Content-Type application/json; charset=utf-8 and the body’s Content-Length', async (_case, call, status) => {
    const res = await call();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ status_code: status, request_id: expect.stringMatching(/^request-id-test-/) });
  });

  it('HEAD: the headers of the GET, no body', async () => {
    const res = await fetch(`${em.url}/.well-known/jwks.json`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await res.text()).toBe('');
  });
});

describe('userinfo bearer rules', () => {
  let access: string;
  beforeAll(async () => {
    access = (await tokensFor(em, conf, { scopes: ['openid', 'email', 'phone'] })).access_token;
  });

  it('GET and POST with the header return the claims of the granted scopes only', async () => {
    for (const method of ['GET', 'POST']) {
      const { res, body } = await getJson('/v1/oauth2/userinfo', { method, headers: { authorization: `Bearer ${access}` } });
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ sub: expect.stringMatching(/^user-test-/), email: 'ada@example.com', email_verified: true, phone_number: '+14155550100' });
      expect(body.name).toBeUndefined();
    }
  });

  it.each([
    ['no token', {}, undefined, 401, 'invalid_token'],
    ['a garbage token', { authorization: 'Bearer not-a-jwt' }, undefined, 401, 'invalid_token'],
    ['the token in the query string', {}, 'query', 400, 'invalid_request'],
    ['the token in the header and the body', { 'content-type': 'application/x-www-form-urlencoded' }, 'both', 400, 'invalid_request'],
  ] as const)('%s → %s %s with WWW-Authenticate: Bearer', async (_what, headers, where, status, error) => {
    const url = `${em.url}/v1/oauth2/userinfo${where === 'query' ? `?access_token=${access}` : ''}`;
    const init: RequestInit =
      where === 'both'
        ? { method: 'POST', headers: { ...headers, authorization: `Bearer ${access}` }, body: new URLSearchParams({ access_token: access }) }
        : { headers };
    const res = await fetch(url, init);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBe(error);
    expect(res.headers.get('www-authenticate')).toMatch(new RegExp(`^Bearer .*error="${error}"`));
  });

  it('a token without openid → 403 insufficient_scope', async () => {
    const tokens = await tokensFor(em, conf, { scopes: ['email'] });
    const res = await fetch(`${em.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('insufficient_scope');
  });
});

describe('GET /v1/oauth2/authorize front door', () => {
  it('302 to the Authorization URL with the query intact, under both path forms', async () => {
    const query = 'response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fx.test%2Fcb&scope=openid+email&state=a%26b';
    for (const path of ['/v1/oauth2/authorize', `/v1/public/${em.projectId}/oauth2/authorize`]) {
      const res = await fetch(`${em.url}${path}?${query}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`http://localhost:3000/oauth/authorize?${query}`);
    }
  });
});

describe('Dynamic Client Registration', () => {
  const register = (body: unknown) =>
    fetch(`${em.url}/v1/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const registered = async (body: unknown) => {
    const res = await register(body);
    expect(res.status).toBe(201);
    return (await res.json()) as Record<string, unknown> & { client_id: string };
  };
  const clientCount = () => em.ctx.store.collection('clients').all().length;

  describe('when the project turns it off', () => {
    beforeAll(() => em.ctx.updateSettings({ dynamic_client_registration: false }));
    afterAll(() => em.ctx.updateSettings({ dynamic_client_registration: true }));

    it('refuses to register (400 dynamic_client_registration_not_enabled, nothing stored; 403 access_denied with the dcr_disabled_stytch_error guess off), and discovery lists no registration_endpoint', async () => {
      const before = clientCount();
      const res = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('dynamic_client_registration_not_enabled');
      expect(clientCount()).toBe(before);
      em.ctx.updateSettings({ dcr_disabled_stytch_error: false });
      try {
        const off = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
        expect([off.status, ((await off.json()) as { error: string }).error]).toEqual([403, 'access_denied']);
      } finally {
        em.ctx.updateSettings({ dcr_disabled_stytch_error: true });
      }
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        expect((await getJson(path)).body.registration_endpoint).toBeUndefined();
      }
    });
  });

  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])('%s advertises registration_endpoint', async (path) => {
    expect((await getJson(path)).body.registration_endpoint).toBe(`${em.url}/v1/oauth2/register`);
  });

  it("no token_endpoint_auth_method → a third_party_public client (Stytch's default); identical metadata gets the same client_id", async () => {
    const meta = { client_name: 'MCP Inspector', redirect_uris: ['http://127.0.0.1:6274/oauth/callback'] };
    const a = await registered(meta);
    expect(a).toMatchObject({
      client_id: expect.stringMatching(/^connected-app-test-/),
      client_name: 'MCP Inspector',
      redirect_uris: meta.redirect_uris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    expect(a.client_secret).toBeUndefined();
    const stored = await sdkClient(a.client_id);
    expect(stored).toMatchObject({ client_type: 'third_party_public', creation_method: 'dynamic_client_registration' });
    expect((await registered({ ...meta, token_endpoint_auth_method: 'none' })).client_id).toBe(a.client_id);
    // Any difference in the submitted metadata is another client.
    expect((await registered({ ...meta, scope: 'openid' })).client_id).not.toBe(a.client_id);
    expect((await registered({ ...meta, client_name: 'MCP Inspector 2' })).client_id).not.toBe(a.client_id);
  });

  it('client_secret_basic → a new confidential third_party client every time, with a secret that works', async () => {
    const meta = { client_name: 'Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' };
    const a = (await registered(meta)) as { client_id: string; client_secret: string };
    const b = await registered(meta);
    expect(a.client_secret).toMatch(/^secret-test-/);
    expect(b.client_id).not.toBe(a.client_id);
    expect((await sdkClient(a.client_id)).client_type).toBe('third_party');
    const client: TestClient = { client_id: a.client_id, client_secret: a.client_secret, client_type: 'third_party' };
    expect((await tokensFor(em, client)).access_token).toMatch(/^eyJ/);
  });

  // RFC 7591 §3.2.2: each refusal names the bad field, and leaves no client behind.
  it.each([
    ['no redirect_uris', { token_endpoint_auth_method: 'none' }, 'invalid_client_metadata'],
    ['an empty redirect_uris', { redirect_uris: [] }, 'invalid_client_metadata'],
    ['a redirect URI with a fragment', { redirect_uris: [`${REDIRECT}#x`] }, 'invalid_redirect_uri'],
    ['a relative redirect URI', { redirect_uris: ['/callback'] }, 'invalid_redirect_uri'],
    ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
    ['one bad redirect URI among good ones', { redirect_uris: [REDIRECT, 'not a url'] }, 'invalid_redirect_uri'],
    ['an unsupported auth method', { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [
      'client_secret_basic for a public client type',
      { redirect_uris: [REDIRECT], client_type: 'third_party_public', token_endpoint_auth_method: 'client_secret_basic' },
      'invalid_client_metadata',
    ],
    [
      'client_secret_post for a public client type',
      { redirect_uris: [REDIRECT], client_type: 'third_party_public', token_endpoint_auth_method: 'client_secret_post' },
      'invalid_client_metadata',
    ],
    [
      'none for a confidential client type',
      { redirect_uris: [REDIRECT], client_type: 'third_party', token_endpoint_auth_method: 'none' },
      'invalid_client_metadata',
    ],
    ['a first-party client type', { redirect_uris: [REDIRECT], client_type: 'first_party_public' }, 'invalid_client_metadata'],
    ['grant_types without authorization_code', { redirect_uris: [REDIRECT], grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
    ['an implicit grant type', { redirect_uris: [REDIRECT], grant_types: ['implicit'] }, 'invalid_client_metadata'],
    ['response_types token', { redirect_uris: [REDIRECT], response_types: ['token'] }, 'invalid_client_metadata'],
    ['a body that is not an object', ['redirect_uris'], 'invalid_client_metadata'],
    ['a javascript: logo_uri', { redirect_uris: [REDIRECT], logo_uri: 'javascript:alert(1)' }, 'invalid_client_metadata'],
    ['an http logo_uri off loopback', { redirect_uris: [REDIRECT], logo_uri: 'http://cdn.example.test/logo.png' }, 'invalid_client_metadata'],
  ])('refuses %s → 400 %s, and stores nothing', async (_what, body, error) => {
    const before = clientCount();
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: string }).error).toBe(error);
    expect(clientCount()).toBe(before);
  });

  it('refuses a new client once the project is full (too_many_connected_apps), but still answers a repeat of an existing public one', async () => {
    const seeded = em.ctx.store
      .collection('clients')
      .all()
      .filter((c) => (c as { creation_method: string }).creation_method === 'seed').length;
    const small = (await start('consumer', { connectedAppLimit: seeded + 1 })).emulator;
    try {
      const post = (body: unknown) =>
        fetch(`${small.url}/v1/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const count = () => small.ctx.store.collection('clients').all().length;
      const meta = { client_name: 'Last one', redirect_uris: [REDIRECT] };
      expect((await post(meta)).status).toBe(201);
      const full = await post({ ...meta, client_name: 'One too many' });
      expect(full.status).toBe(400);
      // RFC 7591 has no code for a full project: invalid_client_metadata, the description naming the limit.
      const refusal = (await full.json()) as { error: string; error_description: string };
      expect(refusal.error).toBe('invalid_client_metadata');
      expect(refusal.error_description).toContain(`limit of ${seeded + 1} Connected Apps`);
      expect((await post(meta)).status).toBe(201);
      const before = count();
      expect((await post({ ...meta, token_endpoint_auth_method: 'client_secret_post' })).status).toBe(400);
      // The management API has the same limit, in the API's error shape.
      const err = await stytchError(() => sdk(small).connectedApp.clients.create({ client_type: 'third_party', client_name: 'API' }));
      expect([err.status_code, err.error_type]).toEqual([400, 'too_many_connected_apps']);
      expect(count()).toBe(before);
    } finally {
      await small.close();
    }
  });
});

describe('hostile input never produces a 5xx (cat. AS-39)', () => {
  const tokenPost = (body: string | Uint8Array<ArrayBuffer>, contentType: string) =>
    fetch(`${em.url}/v1/oauth2/token`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it.each([
    [
      'a form body over 100 KB',
      () => tokenPost(`grant_type=authorization_code&code=${'a'.repeat(200_000)}`, 'application/x-www-form-urlencoded'),
      413,
      'invalid_request',
    ],
    ['malformed JSON', () => tokenPost('{"grant_type": ', 'application/json'), 400, 'invalid_request'],
    ['an unknown content type', () => tokenPost('grant_type=authorization_code', 'text/plain'), 400, 'invalid_request'],
    ['an unsupported charset', () => tokenPost('grant_type=x', 'application/x-www-form-urlencoded; charset=koi8-r'), 415, 'invalid_request'],
    [
      'invalid UTF-8 and NUL bytes in a code',
      () =>
        tokenPost(
          new Uint8Array(
            Buffer.concat([
              Buffer.from(`grant_type=authorization_code&redirect_uri=x&client_id=${conf.client_id}&client_secret=${conf.client_secret}&code=`),
              Buffer.from([0xff, 0xfe, 0x00, 0x25, 0x30, 0x30]),
            ]),
          ),
          'application/x-www-form-urlencoded',
        ),
      400,
      'invalid_grant',
    ],
  ] as const)('%s → %s %s', async (_what, send, status, error) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBe(error);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('a 10 KB state at authorize is refused with a 400, not a crash', async () => {
    const res = await fetch(`${em.url}/v1/idp/oauth/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${em.projectId}:${em.secret}`).toString('base64')}` },
      body: JSON.stringify({
        client_id: conf.client_id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scopes: ['openid'],
        consent_granted: true,
        user_id: 'user-test-00000000-0000-4000-8000-000000000001',
        state: 'x'.repeat(10_000),
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_type: string }).error_type).toBe('bad_request');
  });
});
