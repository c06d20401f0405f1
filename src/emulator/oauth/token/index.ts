/**
 * The token endpoint's pipeline, in one place:
 *   grant_type present and supported → client authenticated → fault hooks → the grant type's handler.
 * Rate limiting, cache headers and the error shape are the route's (routes/oauth2/token.ts).
 */
import type { Request } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { OAuthError } from '../../errors.ts';
import { runBeforeTokenFaults } from '../../faults/index.ts';
import { authenticateClient } from '../client-auth.ts';
import { param } from '../params.ts';
import type { TokenResponse } from '../tokens.ts';
import { authorizationCodeGrant } from './authorization-code.ts';
import { clientCredentialsGrant } from './client-credentials.ts';
import { refreshTokenGrant } from './refresh-token.ts';
import type { GrantHandler } from './types.ts';

export const GRANT_HANDLERS: Readonly<Record<string, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
};

/** Advertised in discovery: what a Connected App client can actually use. */
export const GRANT_TYPES_SUPPORTED = ['authorization_code', 'refresh_token'] as const;

/** `signal`: aborted when the caller hangs up (lets a stalling fault scenario stop early). */
export async function handleTokenRequest(ctx: EmulatorContext, req: Request, signal: AbortSignal): Promise<TokenResponse> {
  const grantType = param(req, 'grant_type');
  if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'The grant_type parameter is missing.');
  const handler = Object.hasOwn(GRANT_HANDLERS, grantType) ? GRANT_HANDLERS[grantType] : undefined;
  if (!handler) throw new OAuthError(400, 'unsupported_grant_type', `The grant_type ${grantType} is not supported.`);
  const auth = authenticateClient(ctx, req);
  await runBeforeTokenFaults(ctx, auth.client.client_id, grantType, signal);
  return handler(ctx, req, auth);
}
