/**
 * The errors of the IDP authorize API (authorize/start and authorize), in one list. These are Stytch API
 * errors (`error_type`), thrown by the SDK as `StytchError`, never redirects: the caller (the project's
 * Authorization URL app) decides what the browser sees (AS-2).
 *
 * [DOC] = listed in Stytch's error reference; the rest are UNCONFIRMED names chosen to be self-explanatory.
 */
import { StytchApiError } from '../../errors.ts';

export const idpErrors = {
  /** [DOC api/errors/404] */
  clientNotFound: () => new StytchApiError(404, 'connected_app_not_found', 'The Connected App requested could not be found.'),
  /** [DOC api/errors/401] Stytch lists this one as a 401. */
  redirectUriNotRegistered: () =>
    new StytchApiError(
      401,
      'connected_app_supplied_redirect_url_not_found_in_client',
      'The redirect URL supplied in the request is not registered to the client.',
    ),
  /** UNCONFIRMED */
  unsupportedResponseType: (value: string) =>
    new StytchApiError(400, 'unsupported_response_type', `response_type must be "code" (got ${JSON.stringify(value)}).`),
  /** UNCONFIRMED */
  invalidScope: (detail: string) => new StytchApiError(400, 'invalid_scope', detail),
  /** UNCONFIRMED */
  pkceRequired: () => new StytchApiError(400, 'pkce_required_for_public_clients', 'A code_challenge (PKCE, S256) is required for public clients.'),
  /** UNCONFIRMED */
  invalidCodeChallenge: () =>
    new StytchApiError(
      400,
      'invalid_code_challenge',
      'code_challenge must be an S256 challenge: BASE64URL(SHA256(code_verifier)), 43 characters. Stytch supports S256 only.',
    ),
  /** UNCONFIRMED: the name and status Stytch's own UI tests mock (stytch-browser IDP.spec.tsx). */
  clientNotAllowedByOrganization: (reason: string) => new StytchApiError(400, 'client_not_allowed', reason),
};
