/**
 * Client authentication at the token, introspection and revocation endpoints (AS-6,
 * cat. AS-15), in the order node-oidc-provider's client_auth applies it:
 * 1. At most one method: `Authorization: Basic` or `client_secret` in the body, never both.
 * 2. Basic credentials are form-url-decoded (RFC 6749 §2.3.1; openid-client sends `connected%2Dapp…`).
 * 3. Unknown client, missing or wrong secret of a confidential client, or a secret sent by a public client
 *    → 401 `invalid_client` with `WWW-Authenticate: Basic`.
 * Public clients authenticate with their `client_id` alone (method `none`).
 */
import type { Request } from 'express';
import { parseBasic } from '../basic-auth.ts';
import { findClient, isPublicClient, type ClientRecord } from '../clients/model.ts';
import { clientSecretMatches } from '../clients/secrets.ts';
import type { EmulatorContext } from '../context.ts';
import { OAuthError } from '../errors.ts';
import { param } from './params.ts';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface AuthenticatedClient {
  client: ClientRecord;
  method: ClientAuthMethod;
}

/** The methods this emulator accepts, as discovery advertises them. */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

export function invalidClient(description: string): OAuthError {
  return new OAuthError(401, 'invalid_client', description, { 'WWW-Authenticate': 'Basic realm="stytch-emulator", charset="UTF-8"' });
}

/** The client id a request claims, before authentication (for rate-limit keys and logs). */
export function claimedClientId(req: Request): string | undefined {
  const basic = parseBasic(req.get('authorization'), { formDecode: true });
  if (basic) return basic.id;
  const body: unknown = req.body;
  const id = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).client_id : undefined;
  return typeof id === 'string' ? id : undefined;
}

export function authenticateClient(ctx: EmulatorContext, req: Request): AuthenticatedClient {
  const header = req.get('authorization');
  const bodyId = param(req, 'client_id');
  const bodySecret = param(req, 'client_secret');

  let id: string | undefined;
  let secret: string | undefined;
  let method: ClientAuthMethod;
  if (header !== undefined) {
    if (!/^basic /i.test(header.trim())) throw new OAuthError(400, 'invalid_request', 'Only the Basic scheme is accepted in the Authorization header here.');
    const creds = parseBasic(header, { formDecode: true });
    if (!creds)
      throw new OAuthError(400, 'invalid_request', 'The Basic credentials are malformed (expected base64 of form-url-encoded client_id:client_secret).');
    if (bodySecret !== undefined) throw new OAuthError(400, 'invalid_request', 'Use one client authentication method, not Basic and client_secret together.');
    if (bodyId !== undefined && bodyId !== creds.id)
      throw new OAuthError(400, 'invalid_request', 'The client_id in the body differs from the one in the Authorization header.');
    ({ id, secret } = creds);
    method = 'client_secret_basic';
  } else {
    id = bodyId;
    secret = bodySecret;
    method = secret === undefined ? 'none' : 'client_secret_post';
  }
  if (!id) throw invalidClient('Client authentication failed: no client_id.');

  const client = findClient(ctx, id);
  if (!client) throw invalidClient('Client authentication failed: unknown client.');
  if (isPublicClient(client)) {
    // A public client has no secret; one that sends a secret is misconfigured or an impostor.
    if (secret !== undefined && secret !== '') throw invalidClient('Client authentication failed: a public client must not send a client_secret.');
    return { client, method: 'none' };
  }
  if (!secret) throw invalidClient('Client authentication failed: this confidential client must authenticate with its client_secret.');
  if (!clientSecretMatches(secret, client)) throw invalidClient('Client authentication failed: wrong client_secret.');
  return { client, method };
}
