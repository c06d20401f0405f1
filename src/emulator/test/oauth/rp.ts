/**
 * A minimal relying party on openid-client v6, configured the way RP-5 demands: RS256 pinned,
 * non-repudiation (ID-token signature) checks on, http allowed only because the emulator is on loopback.
 */
import * as oidc from 'openid-client';
import type { RunningEmulator } from '../../index.ts';
import { authorize, type TestClient } from './helpers.ts';

export async function discover(em: RunningEmulator, client: TestClient): Promise<oidc.Configuration> {
  const auth = client.client_secret ? oidc.ClientSecretBasic(client.client_secret) : oidc.None();
  return oidc.discovery(
    new URL(em.url),
    client.client_id,
    { id_token_signed_response_alg: 'RS256', ...(client.client_secret ? {} : { token_endpoint_auth_method: 'none' }) },
    auth,
    // Real time and plain http on loopback: allowInsecureRequests must be here so discovery itself may use http.
    { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
  );
}

/** authorize through the Stytch API with openid-client's own state/nonce/PKCE, then the code grant. */
export async function codeFlow(em: RunningEmulator, config: oidc.Configuration, client: TestClient, scopes = ['openid', 'email', 'profile', 'offline_access']) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const { redirect_uri } = await authorize(em, { client, scopes, state, nonce, code_challenge: await oidc.calculatePKCECodeChallenge(verifier) });
  return oidc.authorizationCodeGrant(config, new URL(redirect_uri), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
}
