/**
 * Discovery (OIDC Discovery 1.0, RFC 8414) and the project domain's JWKS, unauthenticated.
 *
 * One issuer everywhere (AS-12/13): `issuer` is `ctx.issuer`, the base URL without a trailing
 * slash, which openid-client compares byte for byte with the URL it discovered.
 *
 * The fields are those of Stytch's documented document (Get OpenID Configuration,
 * https://stytch.com/docs/api-reference/b2b/api/connected-apps/configuration/get-openid-configuration),
 * plus `registration_endpoint` when DCR is on and `client_id_metadata_document_supported` when Client ID Metadata
 * Documents are on (both seen in captures of live projects), plus, while the
 * `discovery_extensions` guess is on (guesses.ts), the fields a standards-based client looks for.
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
      'authorization_endpoint_not_configured_for_project',
      'The project does not have an authorization endpoint configured. Set authorization_url in the seed (Dashboard > Connected Apps for real Stytch).',
    );
  }
  return url;
}

/** The keys of Stytch's documented discovery document. */
export const DOCUMENTED_DISCOVERY_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'response_types_supported',
  'grant_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'scopes_supported',
  'token_endpoint_auth_methods_supported',
] as const;

export function discoveryDocument(ctx: EmulatorContext) {
  const issuer = ctx.issuer;
  const settings = ctx.settings();
  const authMethods = [...CLIENT_AUTH_METHODS];
  const documented = {
    issuer,
    authorization_endpoint: requireAuthorizationUrl(ctx),
    token_endpoint: `${issuer}/v1/oauth2/token`,
    userinfo_endpoint: `${issuer}/v1/oauth2/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: [...GRANT_TYPES_SUPPORTED],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: supportedScopes(ctx),
    token_endpoint_auth_methods_supported: authMethods,
  } satisfies Record<(typeof DOCUMENTED_DISCOVERY_FIELDS)[number], unknown>;
  const extensions = {
    revocation_endpoint: `${issuer}/v1/oauth2/revoke`,
    introspection_endpoint: `${issuer}/v1/oauth2/introspect`,
    response_modes_supported: ['query'],
    revocation_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: settings.authorization_response_iss,
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
  return {
    ...documented,
    ...(settings.dynamic_client_registration ? { registration_endpoint: `${issuer}/v1/oauth2/register` } : {}),
    // draft-ietf-oauth-client-id-metadata-document §5: how MCP clients learn that a URL client_id works.
    ...(settings.client_id_metadata_documents ? { client_id_metadata_document_supported: true } : {}),
    ...(settings.discovery_extensions ? extensions : {}),
  };
}

export default function wellKnownRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const discovery = (_req: Request, res: Response) => send(res, discoveryDocument(ctx));
  const legacy = (req: Request<{ project_id: string }>, res: Response) => {
    if (req.params.project_id !== ctx.projectId) {
      throw new StytchApiError('project_not_found', `This emulator serves project ${ctx.projectId}, not ${req.params.project_id}.`);
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
