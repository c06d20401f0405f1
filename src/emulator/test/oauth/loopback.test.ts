/**
 * Loopback redirect URIs through the IDP authorize API and the token endpoint: a CLI agent registered with
 * `http://127.0.0.1/callback` (Stytch's CLI guide) listens on a random port, and gets its code there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../index.ts';
import { authorize, createClient, pkcePair, postForm, start, stytchError, type TestClient } from './helpers.ts';

let em: RunningEmulator;
let cli: TestClient;
beforeAll(async () => {
  em = (await start('consumer')).emulator;
  cli = await createClient(em, {
    client_type: 'first_party_public',
    redirect_urls: ['http://127.0.0.1/callback', 'http://[::1]/callback', 'http://localhost/callback'],
  });
});
afterAll(() => em.close());

async function login(redirectUri: string): Promise<Response> {
  const pkce = pkcePair();
  const { code, redirect_uri } = await authorize(em, { client: cli, redirect_uri: redirectUri, code_challenge: pkce.challenge, scopes: ['openid'] });
  expect(redirect_uri.startsWith(`${redirectUri}?`)).toBe(true);
  return postForm(em, '/v1/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier }, { client: cli });
}

describe('loopback redirect URIs (RFC 8252 §7.3)', () => {
  it.each(['http://127.0.0.1:53682/callback', 'http://[::1]:49152/callback'])(
    '%s: a code at the random port, redeemed with the same redirect_uri',
    async (uri) => {
      expect((await login(uri)).status).toBe(200);
    },
  );

  it.each([
    ['another path', 'http://127.0.0.1:53682/other'],
    ['https', 'https://127.0.0.1:53682/callback'],
    ['localhost with a port (GUESS: exact by default)', 'http://localhost:53682/callback'],
  ])('%s → 401 connected_app_supplied_redirect_url_not_found_in_client', async (_rule, uri) => {
    const err = await stytchError(() => authorize(em, { client: cli, redirect_uri: uri, code_challenge: pkcePair().challenge }));
    expect([err.status_code, err.error_type]).toEqual([401, 'connected_app_supplied_redirect_url_not_found_in_client']);
  });

  it('the token endpoint still wants the exact redirect_uri of the authorization request', async () => {
    const pkce = pkcePair();
    const { code } = await authorize(em, { client: cli, redirect_uri: 'http://127.0.0.1:53682/callback', code_challenge: pkce.challenge, scopes: ['openid'] });
    const res = await postForm(
      em,
      '/v1/oauth2/token',
      { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:53683/callback', code_verifier: pkce.verifier },
      { client: cli },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('the project setting localhost_redirect_any_port extends the wildcard to localhost', async () => {
    em.ctx.updateSettings({ localhost_redirect_any_port: true });
    try {
      expect((await login('http://localhost:53682/callback')).status).toBe(200);
    } finally {
      em.ctx.updateSettings({ localhost_redirect_any_port: false });
    }
  });
});
