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
        redirect_urls: [REDIRECT, 'myapp://callback'],
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
        redirect_urls: [REDIRECT, 'myapp://callback'],
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

    it.each([
      ['an unknown client_type', { client_type: 'confidential' }],
      ['a redirect URL with a fragment', { client_type: 'third_party', redirect_urls: [`${REDIRECT}#frag`] }],
      ['a relative redirect URL', { client_type: 'third_party', redirect_urls: ['/cb'] }],
      ['full_access_allowed on a third-party client', { client_type: 'third_party', full_access_allowed: true }],
      ['an access token template that is not a JSON object', { client_type: 'third_party', access_token_template_content: '[1,2]' }],
    ])('create refuses %s → 400 bad_request', async (_what, body) => {
      const err = await stytchError(() => api.connectedApp.clients.create(body as { client_type: string }));
      expect(err).toMatchObject({ status_code: 400, error_type: 'bad_request' });
    });

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
      let cursor: string | undefined;
      do {
        const page = await api.connectedApp.clients.search({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.connected_apps.length).toBeLessThanOrEqual(2);
        expect(page.results_metadata.total).toBe(total);
        seen.push(...page.connected_apps.map((c) => c.client_id));
        cursor = page.results_metadata.next_cursor;
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
