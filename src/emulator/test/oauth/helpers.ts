/**
 * Test helpers for the OAuth half: clients created through the real SDK, codes minted through the IDP
 * authorize API, and raw requests to the project-domain endpoints (form bodies, Basic auth encoded the way
 * openid-client does it: form-url-encoding every non-alphanumeric character).
 */
import { createHash, randomBytes } from 'node:crypto';
import type * as stytch from 'stytch';
import type { ConnectedAppsClientsCreateRequest } from 'stytch';
import type { RunningEmulator } from '../../index.ts';
import { DEMO_MEMBER, DEMO_ORG, DEMO_USER, b2bClient, consumerClient, start, type Harness } from '../identity/helpers.ts';

export { DEMO_MEMBER, DEMO_ORG, DEMO_USER, start, type Harness };
export { Clock, stytchError } from '../identity/helpers.ts';

export const REDIRECT = 'https://client.example.test/cb';

export interface TestClient {
  client_id: string;
  client_secret?: string;
  client_type: string;
}

export type AnySdk = stytch.Client | stytch.B2BClient;

export function sdk(em: RunningEmulator): AnySdk {
  return em.projectType === 'b2b' ? b2bClient(em) : consumerClient(em);
}

export async function createClient(em: RunningEmulator, fields: Partial<ConnectedAppsClientsCreateRequest> & { client_type: string }): Promise<TestClient> {
  const res = await sdk(em).connectedApp.clients.create({ client_name: `Test ${fields.client_type}`, redirect_urls: [REDIRECT], ...fields });
  const app = res.connected_app;
  return { client_id: app.client_id, client_type: app.client_type, ...(app.client_secret ? { client_secret: app.client_secret } : {}) };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The identity fields of the demo person of the emulator's project type. */
export function demoIdentity(em: RunningEmulator): Record<string, string> {
  return em.projectType === 'b2b' ? { organization_id: DEMO_ORG.organization_id, member_id: DEMO_MEMBER.member_id } : { user_id: DEMO_USER.user_id };
}

export interface AuthorizeInput {
  client: TestClient;
  scopes?: string[];
  redirect_uri?: string;
  state?: string;
  nonce?: string;
  code_challenge?: string;
  consent_granted?: boolean;
  prompt?: string;
  identity?: Record<string, string>;
}

/** authorize (submit) through the SDK; returns the redirect and the code. */
export async function authorize(em: RunningEmulator, input: AuthorizeInput): Promise<{ redirect_uri: string; code: string }> {
  const body = {
    client_id: input.client.client_id,
    redirect_uri: input.redirect_uri ?? REDIRECT,
    response_type: 'code',
    scopes: input.scopes ?? ['openid', 'email', 'profile', 'offline_access'],
    consent_granted: input.consent_granted ?? true,
    ...(input.state !== undefined ? { state: input.state } : {}),
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    ...(input.code_challenge !== undefined ? { code_challenge: input.code_challenge } : {}),
    ...(input.prompt !== undefined ? { prompt: input.prompt } : {}),
    ...(input.identity ?? demoIdentity(em)),
  };
  const res = await sdk(em).idp.oauth.authorize(body as Parameters<stytch.Client['idp']['oauth']['authorize']>[0]);
  return { redirect_uri: res.redirect_uri, code: res.authorization_code ?? '' };
}

/** RFC 6749 §2.3.1 / Appendix B encoding, as oauth4webapi does it (`-` → `%2D`, …). */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*\-._~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function basic(client: Pick<TestClient, 'client_id'> & { client_secret?: string | undefined }): string {
  return `Basic ${Buffer.from(`${formUrlEncode(client.client_id)}:${formUrlEncode(client.client_secret ?? '')}`).toString('base64')}`;
}

export interface PostOptions {
  /** Client authentication: `basic` (default for confidential), `post`, or `none` (public: client_id only). */
  auth?: 'basic' | 'post' | 'none';
  client?: TestClient;
  headers?: Record<string, string>;
}

/** POSTs a form to a project-domain OAuth endpoint, authenticating as `client`. */
export async function postForm(em: RunningEmulator, path: string, params: Record<string, string>, opts: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers };
  const body = new URLSearchParams(params);
  const client = opts.client;
  if (client) {
    const mode = opts.auth ?? (client.client_secret ? 'basic' : 'none');
    if (mode === 'basic') headers.authorization = basic(client);
    else {
      body.set('client_id', client.client_id);
      if (mode === 'post' && client.client_secret) body.set('client_secret', client.client_secret);
    }
  }
  return fetch(`${em.url}${path}`, { method: 'POST', headers, body });
}

export interface Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope: string;
  token_type: string;
  expires_in: number;
}

/** The whole code flow for `client`: authorize, then exchange the code. */
export async function tokensFor(em: RunningEmulator, client: TestClient, input: Partial<AuthorizeInput> = {}): Promise<Tokens> {
  const pkce = pkcePair();
  const { code } = await authorize(em, { client, code_challenge: pkce.challenge, nonce: 'n-0S6_WzA2Mj', ...input });
  const res = await postForm(
    em,
    '/v1/oauth2/token',
    { grant_type: 'authorization_code', code, redirect_uri: input.redirect_uri ?? REDIRECT, code_verifier: pkce.verifier },
    { client },
  );
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Tokens;
}

export async function introspect(em: RunningEmulator, client: TestClient, token: string): Promise<Record<string, unknown>> {
  const res = await postForm(em, '/v1/oauth2/introspect', { token }, { client });
  return (await res.json()) as Record<string, unknown>;
}

export function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h = '', p = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
  };
}
