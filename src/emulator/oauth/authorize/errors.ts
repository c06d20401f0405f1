/**
 * The errors of the IDP authorize API (authorize/start and authorize), in one list. These are Stytch API
 * errors (`error_type`), thrown by the SDK as `StytchError`, never redirects: the caller (the project's
 * Authorization URL app) decides what the browser sees (AS-2).
 *
 * Every name is one of Stytch's own (see STYTCH_ERRORS in ../../errors.ts). Which name Stytch picks for
 * which check is documented only for the first two; for the rest the emulator picks the Stytch name that
 * says it (UNCONFIRMED that Stytch answers these cases with them).
 */
import { StytchApiError } from '../../errors.ts';

export const idpErrors = {
  /** [DOC api/errors/404] */
  clientNotFound: () => new StytchApiError('connected_app_not_found', 'The Connected App requested could not be found.'),
  /** UNCONFIRMED status; the name is from Stytch's error list. A Client ID Metadata Document that cannot be used. */
  invalidClientMetadataDocument: (clientId: string, problem: string) =>
    new StytchApiError('invalid_client_id', `client_id ${clientId} is a Client ID Metadata Document URL, but ${problem}.`),
  /** [DOC api/errors/401] Stytch lists this one as a 401. */
  redirectUriNotRegistered: () =>
    new StytchApiError('connected_app_supplied_redirect_url_not_found_in_client', 'The redirect URL supplied in the request is not registered to the client.'),
  /** UNCONFIRMED: Stytch has no name for a response_type other than `code`; its generic one. */
  unsupportedResponseType: (value: string) => new StytchApiError('bad_request', `response_type must be "code" (got ${JSON.stringify(value)}).`),
  invalidScope: (detail: string) => new StytchApiError('oauth_invalid_scope_requested', detail),
  pkceRequired: () => new StytchApiError('pkce_required_for_idp_authorization_flow', 'A code_challenge (PKCE, S256) is required for public clients.'),
  invalidCodeChallenge: () =>
    new StytchApiError(
      'invalid_pkce_code_challenge',
      'code_challenge must be an S256 challenge: BASE64URL(SHA256(code_verifier)), 43 characters. Stytch supports S256 only.',
    ),
  /** UNCONFIRMED status; the name is from Stytch's error list. RFC 8707 §2: absolute URI, no fragment. */
  invalidResource: (detail: string) => new StytchApiError('invalid_url', detail),
  /** UNCONFIRMED: the status; stytch-browser's IDP.spec.tsx mocks this refusal as a 400. */
  clientNotAllowedByOrganization: (reason: string) => new StytchApiError('connected_app_not_allowed_for_org', reason),
};
