/**
 * Contract tests: `connectedApp.clients.*` through the real SDK, on a Consumer and a B2B project (same
 * paths, no `/b2b` prefix): the four client types, secrets shown once and stored hashed, search paging,
 * and the three-step secret rotation as the token endpoint sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsCollection } from '../../clients/model.ts';
import type { RunningEmulator } from '../../index.ts';
import { b2bClient, consumerClient } from '../identity/helpers.ts';
import { REDIRECT, authorize, postForm, sdk, start, stytchError, type AnySdk, type Harness, type TestClient } from './helpers.ts';

for (const projectType of ['consumer', 'b2b'] as const) {
  describe(`connectedApp.clients on a ${projectType} project`, () => {
    let h: Harness;
    let em: RunningEmulator;
    let api: AnySdk;
    beforeAll(async () => {
      h = await start(projectType);
      em = h.emulator;
      api = sdk(em);
    });
    afterAll(() => em.close());

    it.each([
      ['first_party', true],
      ['third_party', true],
      ['first_party_public', false],
      ['third_party_public', false],
    ] as const)('create %s: secret only for confidential types, shown once', async (clientType, confidential) => {
      const res = await api.connectedApp.clients.create({
        client_type: clientType,
        client_name: 'Reports',
        client_description: 'Reads reports',
        redirect_urls: [REDIRECT, 'http://127.0.0.1:8765/callback'],
        logo_url: 'https://client.example.test/logo.png',
      });
      expect(res.status_code).toBe(200);
      const app = res.connected_app;
      expect(app).toMatchObject({
        client_id: expect.stringMatching(/^connected-app-test-[0-9a-f-]{36}$/),
        client_type: clientType,
        client_name: 'Reports',
        client_description: 'Reads reports',
        status: 'active',
        redirect_urls: [REDIRECT, 'http://127.0.0.1:8765/callback'],
        post_logout_redirect_urls: [],
        access_token_expiry_minutes: 60,
        full_access_allowed: false,
        bypass_consent_for_offline_access: false,
        logo_url: 'https://client.example.test/logo.png',
      });
      if (confidential) {
        expect(app.client_secret).toMatch(/^secret-test-[A-Za-z0-9_-]{40,}$/);
        expect(app.client_secret_last_four).toBe(app.client_secret!.slice(-4));
        // Stored hashed: the secret appears nowhere in the stored document.
        expect(JSON.stringify(clientsCollection(em.ctx).get(app.client_id))).not.toContain(app.client_secret);
      } else {
        expect(app.client_secret).toBeUndefined();
        expect(app.client_secret_last_four).toBeUndefined();
      }
      const got = await api.connectedApp.clients.get({ client_id: app.client_id });
      expect(got.connected_app).toMatchObject({ client_id: app.client_id, creation_method: 'api' });
      expect(got.connected_app).not.toHaveProperty('client_secret');
    });

    it('update changes the mutable fields only', async () => {
      const { connected_app: app } = await api.connectedApp.clients.create({ client_type: 'first_party', client_name: 'Before', redirect_urls: [REDIRECT] });
      const res = await api.connectedApp.clients.update({
        client_id: app.client_id,
        client_name: 'After',
        redirect_urls: [`${REDIRECT}2`],
        full_access_allowed: true,
        bypass_consent_for_offline_access: true,
        access_token_expiry_minutes: 15,
      });
      expect(res.connected_app).toMatchObject({
        client_id: app.client_id,
        client_type: 'first_party',
        client_name: 'After',
        redirect_urls: [`${REDIRECT}2`],
        full_access_allowed: true,
        bypass_consent_for_offline_access: true,
        access_token_expiry_minutes: 15,
        client_secret_last_four: app.client_secret_last_four,
      });
    });

    // One row per rule of src/emulator/clients/validate.ts, with Stytch's error for it.
    it.each([
      ['an unknown client_type', 'invalid_connected_app_type', { client_type: 'confidential' }],
      ['a redirect URL with a fragment', 'connected_app_invalid_redirect_url', { client_type: 'third_party', redirect_urls: [`${REDIRECT}#frag`] }],
      ['a relative redirect URL', 'connected_app_redirect_url_must_include_scheme', { client_type: 'third_party', redirect_urls: ['/cb'] }],
      [
        'a redirect URL without a scheme',
        'connected_app_redirect_url_must_include_scheme',
        { client_type: 'third_party', redirect_urls: ['app.example.com/cb'] },
      ],
      [
        'a custom-scheme redirect URL',
        'connected_app_redirect_url_must_use_http_or_https_scheme',
        { client_type: 'third_party_public', redirect_urls: ['myapp://callback'] },
      ],
      [
        'a plain http redirect URL off loopback',
        'connected_app_redirect_url_http_scheme_must_use_loopback',
        { client_type: 'third_party', redirect_urls: ['http://app.example.com/cb'] },
      ],
      [
        'a post-logout redirect URL off loopback over http',
        'connected_app_redirect_url_http_scheme_must_use_loopback',
        { client_type: 'third_party', post_logout_redirect_urls: ['http://app.example.com/'] },
      ],
      ['the same redirect URL twice', 'duplicate_redirect_url', { client_type: 'third_party', redirect_urls: [REDIRECT, REDIRECT] }],
      ['full_access_allowed on a third-party client', 'third_party_clients_cannot_use_full_access', { client_type: 'third_party', full_access_allowed: true }],
      [
        'bypass_consent_for_offline_access on a third-party client',
        'third_party_clients_require_consent_for_offline_access',
        { client_type: 'third_party', bypass_consent_for_offline_access: true },
      ],
      ['an access token lifetime of 1 minute', 'idp_invalid_access_token_expiry_minutes', { client_type: 'third_party', access_token_expiry_minutes: 1 }],
      ['an access token template that is not a JSON object', 'bad_request', { client_type: 'third_party', access_token_template_content: '[1,2]' }],
    ])('create refuses %s → 400 %s', async (_what, errorType, body) => {
      const err = await stytchError(() => api.connectedApp.clients.create(body as { client_type: string }));
      expect(err).toMatchObject({ status_code: 400, error_type: errorType });
    });

    it('create accepts https, and http on loopback (IP literals and localhost) in a test project', async () => {
      const redirect_urls = ['https://app.example.com/cb', 'http://127.0.0.1:8765/cb', 'http://[::1]/cb', 'http://localhost:3001/callback'];
      const res = await api.connectedApp.clients.create({ client_type: 'third_party_public', redirect_urls });
      expect(res.connected_app.redirect_urls).toEqual(redirect_urls);
    });

    // Regression: `logo_url: javascript:…` was stored (the consent page filtered it, but the data was kept).
    it.each([
      ['a javascript: logo_url', 'javascript:alert(document.cookie)', /got a javascript: URL/],
      ['a data: logo_url', 'data:image/svg+xml,<svg onload=alert(1)>', /got a data: URL/],
      ['an http logo_url off loopback', 'http://cdn.example.test/logo.png', /got a http: URL/],
      ['a logo_url that is not a URL', 'logo.png', /absolute https URL/],
    ])('create and update refuse %s → 400 invalid_url', async (_what, logo_url, message) => {
      const created = await stytchError(() => api.connectedApp.clients.create({ client_type: 'third_party', logo_url }));
      expect(created).toMatchObject({ status_code: 400, error_type: 'invalid_url', error_message: expect.stringMatching(message) });
      const { connected_app: existing } = await api.connectedApp.clients.create({ client_type: 'third_party' });
      const updated = await stytchError(() => api.connectedApp.clients.update({ client_id: existing.client_id, logo_url }));
      expect(updated).toMatchObject({ status_code: 400, error_type: 'invalid_url' });
    });

    it.each(['https://cdn.example.test/logo.png', 'http://localhost:3001/static/logo.svg', 'http://127.0.0.1:3001/logo.png', 'http://[::1]:3001/logo.png', ''])(
      'accepts the logo_url "%s" (https, or http on loopback; empty clears it)',
      async (logo_url) => {
        const { connected_app: existing } = await api.connectedApp.clients.create({ client_type: 'third_party', logo_url: 'https://cdn.example.test/old.png' });
        const { connected_app } = await api.connectedApp.clients.update({ client_id: existing.client_id, logo_url });
        expect(connected_app.logo_url ?? '').toBe(logo_url);
      },
    );

    it('get, update, delete of an unknown client → 404 connected_app_not_found', async () => {
      const client_id = 'connected-app-test-00000000-0000-4000-8000-00000000dead';
      for (const call of [
        () => api.connectedApp.clients.get({ client_id }),
        () => api.connectedApp.clients.update({ client_id, client_name: 'x' }),
        () => api.connectedApp.clients.delete({ client_id }),
      ]) {
        expect(await stytchError(call)).toMatchObject({ status_code: 404, error_type: 'connected_app_not_found' });
      }
    });

    it('delete removes the client and ends its tokens', async () => {
      const { connected_app: app } = await api.connectedApp.clients.create({ client_type: 'third_party', redirect_urls: [REDIRECT] });
      const client: TestClient = { client_id: app.client_id, client_type: 'third_party', client_secret: app.client_secret! };
      const { code } = await authorize(em, { client });
      const tokens = (await (
        await postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { client })
      ).json()) as { access_token: string };

      const res = await api.connectedApp.clients.delete({ client_id: app.client_id });
      expect(res).toMatchObject({ client_id: app.client_id, status_code: 200 });
      expect(await stytchError(() => api.connectedApp.clients.get({ client_id: app.client_id }))).toMatchObject({ error_type: 'connected_app_not_found' });
      const userinfo = await fetch(`${em.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(userinfo.status).toBe(401);
    });

    it('search pages through every client with limit and next_cursor', async () => {
      const all = await api.connectedApp.clients.search({});
      const total = all.results_metadata.total;
      expect(total).toBe(all.connected_apps.length);
      expect(total).toBeGreaterThanOrEqual(4); // the seeded clients at least
      const seen: string[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        pages += 1;
        const page = await api.connectedApp.clients.search({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.connected_apps.length).toBeLessThanOrEqual(2);
        expect(page.results_metadata.total).toBe(total);
        seen.push(...page.connected_apps.map((c) => c.client_id));
        cursor = page.results_metadata.next_cursor;
        // The last page says so with null, as the SDK documents; the others with a string.
        expect(cursor).toEqual(pages * 2 < total ? expect.any(String) : null);
      } while (cursor);
      expect(seen).toEqual(all.connected_apps.map((c) => c.client_id));
    });

    describe('secret rotation', () => {
      async function tokenStatus(client: TestClient, secret: string): Promise<number> {
        // A bad code: 400 means the client authenticated, 401 that it did not.
        const res = await postForm(
          em,
          '/v1/oauth2/token',
          { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT },
          { client: { ...client, client_secret: secret } },
        );
        return res.status;
      }

      it('start → both secrets work; rotate → only the new one', async () => {
        const { connected_app: app } = await api.connectedApp.clients.create({ client_type: 'first_party', redirect_urls: [REDIRECT] });
        const client: TestClient = { client_id: app.client_id, client_type: 'first_party' };
        const started = await api.connectedApp.clients.secrets.rotateStart({ client_id: app.client_id });
        const next = started.connected_app.next_client_secret;
        expect(next).toMatch(/^secret-test-/);
        expect(started.connected_app).toMatchObject({ client_secret_last_four: app.client_secret_last_four, next_client_secret_last_four: next.slice(-4) });
        expect(await tokenStatus(client, app.client_secret!)).toBe(400);
        expect(await tokenStatus(client, next)).toBe(400);

        const rotated = await api.connectedApp.clients.secrets.rotate({ client_id: app.client_id });
        expect(rotated.connected_app.client_secret_last_four).toBe(next.slice(-4));
        expect(rotated.connected_app.next_client_secret_last_four).toBeUndefined();
        expect(await tokenStatus(client, app.client_secret!)).toBe(401);
        expect(await tokenStatus(client, next)).toBe(400);
      });

      it('start → cancel: the next secret stops working, the current one keeps working', async () => {
        const { connected_app: app } = await api.connectedApp.clients.create({ client_type: 'third_party', redirect_urls: [REDIRECT] });
        const client: TestClient = { client_id: app.client_id, client_type: 'third_party' };
        const next = (await api.connectedApp.clients.secrets.rotateStart({ client_id: app.client_id })).connected_app.next_client_secret;
        const cancelled = await api.connectedApp.clients.secrets.rotateCancel({ client_id: app.client_id });
        expect(cancelled.connected_app.next_client_secret_last_four).toBeUndefined();
        expect(await tokenStatus(client, next)).toBe(401);
        expect(await tokenStatus(client, app.client_secret!)).toBe(400);
      });

      it('refuses rotate without start, a second start, and any rotation of a public client', async () => {
        const { connected_app: app } = await api.connectedApp.clients.create({ client_type: 'third_party', redirect_urls: [REDIRECT] });
        expect(await stytchError(() => api.connectedApp.clients.secrets.rotate({ client_id: app.client_id }))).toMatchObject({ status_code: 400 });
        await api.connectedApp.clients.secrets.rotateStart({ client_id: app.client_id });
        expect(await stytchError(() => api.connectedApp.clients.secrets.rotateStart({ client_id: app.client_id }))).toMatchObject({ status_code: 400 });
        const { connected_app: pub } = await api.connectedApp.clients.create({ client_type: 'third_party_public', redirect_urls: [REDIRECT] });
        expect(await stytchError(() => api.connectedApp.clients.secrets.rotateStart({ client_id: pub.client_id }))).toMatchObject({ status_code: 400 });
      });
    });

    it('wrong project credentials → 401 unauthorized_credentials', async () => {
      const wrong = projectType === 'b2b' ? b2bClient(em, 'secret-test-wrong') : consumerClient(em, 'secret-test-wrong');
      expect(await stytchError(() => wrong.connectedApp.clients.search({}))).toMatchObject({ status_code: 401, error_type: 'unauthorized_credentials' });
    });
  });
}

describe('redirect URL rules of a live project (the live_redirect_url_rules guess)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start('consumer', {
      seed: false,
      projectId: 'project-live-00000000-0000-4000-8000-00000000c0de',
      secret: 'secret-live-LiveProjectSecret_00000000000',
    });
  });
  afterAll(() => h.emulator.close());

  it.each([
    ['http://localhost:3001/callback', 'connected_app_redirect_url_cannot_use_localhost'],
    ['http://127.0.0.1:3001/callback', 'connected_app_redirect_url_must_use_https_scheme'],
  ])('refuses %s → %s, and accepts it with the guess off', async (url, errorType) => {
    const api = sdk(h.emulator);
    expect(await stytchError(() => api.connectedApp.clients.create({ client_type: 'third_party', redirect_urls: [url] }))).toMatchObject({
      status_code: 400,
      error_type: errorType,
    });
    h.emulator.ctx.updateSettings({ live_redirect_url_rules: false });
    try {
      expect((await api.connectedApp.clients.create({ client_type: 'third_party', redirect_urls: [url] })).connected_app.redirect_urls).toEqual([url]);
    } finally {
      h.emulator.ctx.updateSettings({ live_redirect_url_rules: true });
    }
  });
});
