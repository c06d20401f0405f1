/**
 * The token endpoint's pipeline, in one place:
 *   grant_type present and supported → client authenticated → fault hooks → the grant type's handler
 *   → fault hooks on the response body.
 * Rate limiting, cache headers and the error shape are the route's (routes/oauth2/token.ts).
 */
import type { Request } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { OAuthError } from '../../errors.ts';
import { parseBasic } from '../../basic-auth.ts';
import { applyTokenResponseFaults, runBeforeTokenFaults } from '../../faults/index.ts';
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
export async function handleTokenRequest(ctx: EmulatorContext, req: Request, signal: AbortSignal): Promise<TokenResponse | Record<string, unknown>> {
  const grantType = param(req, 'grant_type');
  if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'The grant_type parameter is missing.');
  const handler = Object.hasOwn(GRANT_HANDLERS, grantType) ? GRANT_HANDLERS[grantType] : undefined;
  if (!handler) throw new OAuthError(400, 'unsupported_grant_type', `The grant_type ${grantType} is not supported.`);
  const auth = authenticateClient(ctx, req);
  await runBeforeTokenFaults(ctx, auth.client.client_id, grantType, signal);
  const response = await handler(ctx, req, auth);
  // Only fault scenarios (e.g. invalid-sig-hs256) ever see the presented secret; it is never stored.
  const presentedSecret = () =>
    auth.method === 'client_secret_basic'
      ? parseBasic(req.get('authorization'), { formDecode: true })?.secret
      : auth.method === 'client_secret_post'
        ? param(req, 'client_secret')
        : undefined;
  return applyTokenResponseFaults(ctx, auth.client.client_id, response, { grantType, presentedSecret });
}
