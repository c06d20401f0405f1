/**
 * Durability of the OAuth half: a client created through the API, its consent, its grant and tokens, and
 * the signing keys survive a restart on the same SQLite file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authorize, createClient, introspect, postForm, sdk, start, tokensFor } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'emulator-oauth-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restart on the same database file', () => {
  it('keeps clients (hashed secrets), grants, refresh tokens, consents and keys', async () => {
    const db = join(dir, 'consumer.sqlite');
    const first = await start('consumer', { db });
    const client = await createClient(first.emulator, { client_type: 'third_party' });
    const tokens = await tokensFor(first.emulator, client);
    // The latest consent of this person for this client: openid + email.
    await authorize(first.emulator, { client, scopes: ['openid', 'email'] });
    const port = first.emulator.port;
    await first.emulator.close();
    // The restart takes milliseconds: let the test's pooled keep-alive connection see the close first (fetch does not
    // retry a request sent on a connection that the server has just closed).
    await new Promise((r) => setTimeout(r, 50));

    // Same port, hence the same issuer: tokens name their issuer, which is the base URL.
    const second = await start('consumer', { db, port });
    const em = second.emulator;
    try {
      expect((await sdk(em).connectedApp.clients.get({ client_id: client.client_id })).connected_app.client_id).toBe(client.client_id);
      // Same keys: the token signed before the restart still verifies and is still live.
      expect((await introspect(em, client, tokens.access_token)).active).toBe(true);
      const refreshed = await postForm(em, '/v1/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { client });
      expect(refreshed.status).toBe(200);
      // The consent is remembered: same scope set, no consent screen.
      const start2 = await sdk(em).idp.oauth.authorizeStart({
        client_id: client.client_id,
        redirect_uri: 'https://client.example.test/cb',
        response_type: 'code',
        scopes: ['openid', 'email'],
        user_id: 'user-test-00000000-0000-4000-8000-000000000001',
      } as Parameters<ReturnType<typeof sdk>['idp']['oauth']['authorizeStart']>[0]);
      expect(start2.consent_required).toBe(false);
      expect((await tokensFor(em, client)).access_token).toMatch(/^eyJ/);
    } finally {
      await em.close();
    }
  });
});
