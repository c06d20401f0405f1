/**
 * `grant_type=client_credentials`: Stytch serves it on this endpoint for M2M clients only; Connected App
 * clients support authorization_code and refresh_token (ST-TOKEN). The emulator has no M2M
 * clients, so every client gets `unauthorized_client` (RFC 6749 §5.2).
 */
import { OAuthError } from '../../errors.ts';
import type { GrantHandler } from './types.ts';

export const clientCredentialsGrant: GrantHandler = async (_ctx, _req, { client }) => {
  throw new OAuthError('unauthorized_client', `Connected App client ${client.client_id} may not use client_credentials (M2M clients only).`);
};
