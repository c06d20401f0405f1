/**
 * The emulator as a standards-based relying party sees it: openid-client v6 discovers it and runs the
 * authorization code flow with PKCE, for a confidential client (client_secret_basic, with openid-client's
 * form-url-encoded credentials) and a public client (none), Consumer and B2B. The code is minted through
 * the IDP authorize API, as the project's Authorization URL app would; everything after that is
 * openid-client: the callback URL with `iss`, the code exchange with non-repudiation (signature) checks
 * and RS256 pinned, userinfo, refresh, introspection and revocation.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../index.ts';
import { createClient, start, type Harness } from './helpers.ts';
import { codeFlow, discover } from './rp.ts';

for (const projectType of ['consumer', 'b2b'] as const) {
  describe(`openid-client against the ${projectType} emulator`, () => {
    let h: Harness;
    let em: RunningEmulator;
    beforeAll(async () => {
      // Real time: openid-client checks iat/exp against its own clock.
      h = await start(projectType, { now: () => Math.floor(Date.now() / 1000) });
      em = h.emulator;
    });
    afterAll(() => em.close());

    it('discovery: the issuer is the base URL and the endpoints are the emulator’s', async () => {
      const config = await discover(em, await createClient(em, { client_type: 'third_party' }));
      const meta = config.serverMetadata();
      expect(meta.issuer).toBe(em.url);
      expect(meta.token_endpoint).toBe(`${em.url}/v1/oauth2/token`);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    });

    for (const clientType of ['third_party', 'first_party_public'] as const) {
      it(`${clientType}: code flow with PKCE, userinfo, refresh, introspection, revocation`, async () => {
        const client = await createClient(em, { client_type: clientType });
        const config = await discover(em, client);
        const tokens = await codeFlow(em, config, client);

        const claims = tokens.claims()!;
        const expectedSub = projectType === 'b2b' ? 'member-test-00000000-0000-4000-8000-000000000201' : 'user-test-00000000-0000-4000-8000-000000000001';
        expect(claims).toMatchObject({ iss: em.url, sub: expectedSub, aud: [client.client_id] });
        expect(tokens.token_type.toLowerCase()).toBe('bearer');
        expect(tokens.scope).toBe('openid email profile offline_access');

        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        expect(userinfo).toMatchObject({ sub: claims.sub, email: projectType === 'b2b' ? 'ada@acme.example' : 'ada@example.com', name: 'Ada Lovelace' });

        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
        expect(refreshed.claims()).toMatchObject({ iss: claims.iss, sub: claims.sub, aud: claims.aud });
        // Stytch: public clients rotate their refresh token, confidential ones keep it.
        if (clientType === 'first_party_public') expect(refreshed.refresh_token).toMatch(/^[A-Za-z0-9_-]{44}$/);
        else expect(refreshed.refresh_token).toBeUndefined();
        const liveRefresh = refreshed.refresh_token ?? tokens.refresh_token!;

        expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(true);
        await oidc.tokenRevocation(config, liveRefresh);
        expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
        await expect(oidc.refreshTokenGrant(config, liveRefresh)).rejects.toMatchObject({ error: 'invalid_grant' });
      });
    }
  });
}
