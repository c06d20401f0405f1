/**
 * Discovery (OIDC Discovery 1.0, RFC 8414) and the project domain's JWKS, unauthenticated.
 *
 * One issuer everywhere (AS-12/13): `issuer` is `ctx.issuer`, the base URL without a trailing
 * slash, which openid-client compares byte for byte with the URL it discovered. The documented keys of
 * Stytch's document (ST-DISCOVERY) plus, UNCONFIRMED, the ones a standards-based client relies on:
 * `code_challenge_methods_supported`, `authorization_response_iss_parameter_supported`, revocation and
 * introspection endpoints, `refresh_token`, `none`, and `registration_endpoint` when DCR is on.
 * The authorization endpoint is the project's Authorization URL; without one Stytch answers
 * `authorization_endpoint_not_configured_for_project` [DOC api/errors/400].
 */
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError, send } from '../errors.ts';
import { publishedJwks } from '../faults/index.ts';
import { CLIENT_AUTH_METHODS } from '../oauth/client-auth.ts';
import { supportedScopes } from '../oauth/scopes.ts';
import { GRANT_TYPES_SUPPORTED } from '../oauth/token/index.ts';

export function requireAuthorizationUrl(ctx: EmulatorContext): string {
  const url = ctx.settings().authorization_url;
  if (!url) {
    throw new StytchApiError(
      400,
      'authorization_endpoint_not_configured_for_project',
      'The project does not have an authorization endpoint configured. Set authorization_url in the seed (Dashboard > Connected Apps for real Stytch).',
    );
  }
  return url;
}

export function discoveryDocument(ctx: EmulatorContext) {
  const issuer = ctx.issuer;
  const settings = ctx.settings();
  const authMethods = [...CLIENT_AUTH_METHODS];
  return {
    issuer,
    authorization_endpoint: requireAuthorizationUrl(ctx),
    token_endpoint: `${issuer}/v1/oauth2/token`,
    userinfo_endpoint: `${issuer}/v1/oauth2/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    revocation_endpoint: `${issuer}/v1/oauth2/revoke`,
    introspection_endpoint: `${issuer}/v1/oauth2/introspect`,
    ...(settings.dynamic_client_registration ? { registration_endpoint: `${issuer}/v1/oauth2/register` } : {}),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES_SUPPORTED],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: settings.authorization_response_iss,
    scopes_supported: supportedScopes(ctx),
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'nonce',
      'name',
      'given_name',
      'middle_name',
      'family_name',
      'picture',
      'locale',
      'email',
      'email_verified',
      'phone_number',
      'phone_number_verified',
    ],
  };
}

export default function wellKnownRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const discovery = (_req: Request, res: Response) => send(res, discoveryDocument(ctx));
  const legacy = (req: Request<{ project_id: string }>, res: Response) => {
    if (req.params.project_id !== ctx.projectId) {
      throw new StytchApiError(404, 'project_not_found', `This emulator serves project ${ctx.projectId}, not ${req.params.project_id}.`);
    }
    discovery(req, res);
  };
  router.get('/.well-known/openid-configuration', discovery);
  router.get('/.well-known/oauth-authorization-server', discovery);
  router.get('/v1/public/:project_id/.well-known/openid-configuration', legacy);
  router.get('/v1/public/:project_id/.well-known/oauth-authorization-server', legacy);
  router.get('/.well-known/jwks.json', async (_req, res) => send(res, await publishedJwks(ctx)));
  return router;
}
