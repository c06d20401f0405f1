/**
 * The authorization request (RP-1, RP-2, RP-3): a fresh `state`, `nonce` and PKCE S256 pair for every login,
 * confidential clients included. Only the challenge leaves the server; the verifier waits in the session.
 */
import * as oidc from 'openid-client';
import pkceChallenge from 'pkce-challenge';
import type { ClientProfile } from '../profiles.ts';
import type { PendingLogin } from '../session-data.ts';
import type { Param, Step } from '../inspector/timeline.ts';

const NOTES: Record<string, string> = {
  client_id: 'Which Connected App is asking.',
  response_type: '"code": the authorization code flow.',
  redirect_uri: 'Where the provider sends the browser back; must match a registered URL exactly.',
  scope: 'What the app asks for: openid for an ID token, offline_access for a refresh token.',
  state: 'Random, single use, kept in the session: the callback must bring it back unchanged (CSRF defence).',
  nonce: 'Random, kept in the session: must come back inside the ID token, tying it to this login.',
  code_challenge: 'SHA-256 of the PKCE code_verifier. The verifier itself stays on this server until the token request.',
  code_challenge_method: 'S256; "plain" is never used.',
};

export async function buildAuthorizationRequest(
  config: oidc.Configuration,
  profile: ClientProfile,
  now = Date.now(),
): Promise<{ url: URL; pending: PendingLogin }> {
  const { code_verifier, code_challenge } = await pkceChallenge(64, 'S256');
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: profile.redirectUri,
    scope: profile.scopes.join(' '),
    code_challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const params: Param[] = [...url.searchParams.entries()].map(([name, value]) => ({ name, value, note: NOTES[name] }));
  const step: Step = {
    kind: 'authorization_request',
    at: now,
    title: `Authorization request to ${profile.label}'s provider`,
    status: 'ok',
    endpoint: `${url.origin}${url.pathname}`,
    params,
  };
  return { url, pending: { profileId: profile.id, state, nonce, codeVerifier: code_verifier, createdAt: now, steps: [step] } };
}
