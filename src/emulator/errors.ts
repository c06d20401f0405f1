/**
 * The two error shapes of the Stytch API, produced in one place (`errorHandler`):
 * - Stytch API errors on the Basic-auth routes: `{status_code, request_id, error_type, error_message, error_url}`.
 * - OAuth errors on the project domain's `/v1/oauth2/*` routes: `{status_code, request_id, error, error_description, error_uri}`.
 * `status_code` is always in the body: the SDK reads it from there, not from the HTTP status.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CodedError } from '../shared/errors.ts';
import type { EmulatorContext } from './context.ts';

/**
 * Every Stytch API error the emulator can raise, with its HTTP status: the one table of codes (as
 * node-oidc-provider has one class per OAuth error). A raise site names only the code:
 *
 *     throw new StytchApiError('user_not_found', 'User could not be found.');
 *     throw new StytchApiError('too_many_requests', 'Slow down.', { details: { retry_after_seconds: 5 }, headers: { 'Retry-After': '5' } });
 *
 * To add an error: add its `error_type` here with its status. The name must be one of Stytch's own
 * (`stytch-error-types.txt`, next to this file, copied from Stytch's SDK source); test/error-names.test.ts fails
 * otherwise. The only exception is `not_supported_by_emulator`. The status is the one of the Stytch error
 * reference page that lists the name (https://stytch.com/docs/api-reference/consumer/api/errors/{status}, and
 * …/b2b/… for B2B; `error_url` links there). Names not checked one by one on those pages are placed by their
 * family (`…_not_found` 404, `duplicate_…` 409, `unauthorized_…` 401, the rest 400); the contract suite
 * (test/contract) checks the statuses it can reach against a real project. `guess` marks a status the emulator
 * chose against an unclear source.
 *
 * Converting an old raise site: `new StytchApiError(400, 'x', msg, details, headers)` becomes
 * `new StytchApiError('x', msg, { details, headers })` with `x: { status: 400 }` in this table; likewise
 * `new OAuthError(400, 'invalid_request', msg, headers)` becomes `new OAuthError('invalid_request', msg, { headers })`
 * (OAUTH_ERRORS below; a status other than the RFC's is a kind of its own, e.g. `method_not_allowed`).
 */
export const STYTCH_ERRORS = {
  // 400 https://stytch.com/docs/api-reference/consumer/api/errors/400
  bad_request: { status: 400 },
  invalid_email: { status: 400 },
  invalid_phone_number: { status: 400 },
  invalid_hash: { status: 400 },
  invalid_hash_type: { status: 400 },
  invalid_session_duration: { status: 400 },
  weak_password: { status: 400 },
  no_session_arguments: { status: 400 },
  too_many_session_arguments: { status: 400 },
  no_session_revoke_arguments: { status: 400 },
  too_many_session_revoke_arguments: { status: 400 },
  no_oauth_authorize_user_selector: { status: 400 },
  too_many_user_selection_arguments: { status: 400 },
  user_id_mismatch: { status: 400 },
  member_session_member_id_mismatch: { status: 400 },
  invalid_organization_slug: { status: 400 },
  organization_slug_already_used: { status: 400 },
  reserved_claims_in_custom_claims: { status: 400 },
  stytch_claims_in_custom_claims: { status: 400 },
  oauth_invalid_scope_requested: { status: 400 },
  pkce_required_for_idp_authorization_flow: { status: 400 },
  invalid_pkce_code_challenge: { status: 400 },
  connected_app_not_allowed_for_org: { status: 400, guess: 'status as mocked in stytch-browser IDP.spec.tsx' },
  connected_app_already_rotating_secret: { status: 400 },
  connected_app_not_rotating_secret: { status: 400 },
  public_connected_apps_do_not_have_secrets: { status: 400 },
  authorization_endpoint_not_configured_for_project: { status: 400 },
  invalid_connected_app_type: { status: 400 },
  third_party_clients_cannot_use_full_access: { status: 400 },
  third_party_clients_require_consent_for_offline_access: { status: 400 },
  idp_invalid_access_token_expiry_minutes: { status: 400 },
  connected_app_invalid_redirect_url: { status: 400 },
  connected_app_redirect_url_must_include_scheme: { status: 400 },
  connected_app_redirect_url_must_use_http_or_https_scheme: { status: 400 },
  connected_app_redirect_url_http_scheme_must_use_loopback: { status: 400 },
  connected_app_redirect_url_cannot_use_localhost: { status: 400 },
  connected_app_redirect_url_must_use_https_scheme: { status: 400 },
  duplicate_redirect_url: { status: 400 },
  // Raised by Dynamic Client Registration / Client ID Metadata Documents (the `mcp-as` work).
  invalid_client_id: { status: 400 },
  invalid_url: { status: 400 },
  too_many_connected_apps: { status: 400, guess: "the status; the name is Stytch's" },
  /** The emulator's own: a request it understands but does not implement, said plainly. */
  not_supported_by_emulator: { status: 400 },
  // 401 https://stytch.com/docs/api-reference/consumer/api/errors/401
  unauthorized_credentials: { status: 401 },
  connected_app_supplied_redirect_url_not_found_in_client: { status: 401 },
  // 404 https://stytch.com/docs/api-reference/consumer/api/errors/404
  user_not_found: { status: 404 },
  member_not_found: { status: 404 },
  organization_not_found: { status: 404 },
  session_not_found: { status: 404 },
  email_not_found: { status: 404 },
  connected_app_not_found: { status: 404 },
  project_not_found: { status: 404 },
  route_not_found: { status: 404 },
  idp_access_token_not_found: { status: 404 },
  idp_access_token_could_not_be_exchanged: { status: 404, guess: 'which checks of token exchange answer with this name' },
  // 409 https://stytch.com/docs/api-reference/consumer/api/errors/409
  duplicate_email: { status: 409 },
  duplicate_member_email: { status: 409 },
  duplicate_organization: { status: 409 },
  // 429 https://stytch.com/docs/api-reference/consumer/api/errors/429
  too_many_requests: { status: 429 },
  // 500 https://stytch.com/docs/api-reference/consumer/api/errors/500
  internal_server_error: { status: 500 },
} as const satisfies Record<string, StytchErrorDefinition>;

export interface StytchErrorDefinition {
  status: number;
  /** Set where the emulator chose without a Stytch source: what is guessed. */
  guess?: string;
}

export type StytchErrorType = keyof typeof STYTCH_ERRORS;

export interface ErrorOptions {
  /** Stytch's `error_details`, e.g. the strength-check feedback of `weak_password`. */
  details?: Record<string, unknown>;
  /** Response headers, e.g. `Retry-After` on a 429. */
  headers?: Record<string, string>;
}

export class StytchApiError extends CodedError<StytchErrorType> {
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(errorType: StytchErrorType, message: string, options: ErrorOptions = {}) {
    super(errorType, message);
    this.status = STYTCH_ERRORS[errorType].status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** Stytch's `error_type`, e.g. `unauthorized_credentials`, `user_not_found`. */
  get errorType(): StytchErrorType {
    return this.code;
  }
}

/**
 * The OAuth errors of the project-domain endpoints (token, userinfo, revoke, introspect, register), which keep
 * the RFC codes: each kind names its `error` value (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2) and its
 * status. Most kinds are their own `error`; the others are the same `error` answered with another status.
 *
 *     throw new OAuthError('invalid_grant', 'The authorization code has expired.');
 */
export const OAUTH_ERRORS = {
  invalid_request: { error: 'invalid_request', status: 400 },
  /** RFC 6749 §5.2: a failed client authentication is a 401 (with WWW-Authenticate for Basic). */
  invalid_client: { error: 'invalid_client', status: 401 },
  /** The same, answered as 400 (the `token_client_auth_401` guess switched off). */
  invalid_client_400: { error: 'invalid_client', status: 400 },
  invalid_grant: { error: 'invalid_grant', status: 400 },
  unauthorized_client: { error: 'unauthorized_client', status: 400 },
  unsupported_grant_type: { error: 'unsupported_grant_type', status: 400 },
  invalid_scope: { error: 'invalid_scope', status: 400 },
  /** RFC 6750 §3.1 */
  invalid_token: { error: 'invalid_token', status: 401 },
  insufficient_scope: { error: 'insufficient_scope', status: 403 },
  access_denied: { error: 'access_denied', status: 403 },
  server_error: { error: 'server_error', status: 500 },
  temporarily_unavailable: { error: 'temporarily_unavailable', status: 503 },
  /** RFC 7591 §3.2.2 */
  invalid_client_metadata: { error: 'invalid_client_metadata', status: 400 },
  invalid_redirect_uri: { error: 'invalid_redirect_uri', status: 400 },
  /**
   * Registration on a project that has not enabled it. RFC 7591 has no code for this, so the `error` is
   * Stytch's name (as `too_many_requests` below), with the 400 RFC 7591 §3.2.2 gives every registration error.
   */
  dynamic_client_registration_not_enabled: { error: 'dynamic_client_registration_not_enabled', status: 400 },
  /** RFC 8707 §2: a `resource` the authorization server does not accept. */
  invalid_target: { error: 'invalid_target', status: 400 },
  /** Not an RFC 6749 code: Stytch's rate-limit error_type, used with 429 and `Retry-After`. */
  too_many_requests: { error: 'too_many_requests', status: 429 },
  method_not_allowed: { error: 'invalid_request', status: 405 },
  payload_too_large: { error: 'invalid_request', status: 413 },
  unsupported_media_type: { error: 'invalid_request', status: 415 },
} as const satisfies Record<string, { error: string; status: number }>;

export type OAuthErrorKind = keyof typeof OAUTH_ERRORS;
export type OAuthErrorCode = (typeof OAUTH_ERRORS)[OAuthErrorKind]['error'];

export class OAuthError extends CodedError<OAuthErrorCode> {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly kind: OAuthErrorKind,
    readonly description: string,
    options: Pick<ErrorOptions, 'headers'> = {},
  ) {
    super(OAUTH_ERRORS[kind].error, description);
    this.status = OAUTH_ERRORS[kind].status;
    this.headers = options.headers ?? {};
  }
}

/** Every request gets a Stytch-shaped request id, echoed in every body. */
export function requestId(ctx: EmulatorContext) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.requestId = `request-id-${ctx.idEnvironment}-${randomUUID()}`;
    next();
  };
}

/**
 * Writes a JSON body with the headers Express's `res.json` gives it (`Content-Type: application/json;
 * charset=utf-8`, `Content-Length`), without its per-response work that an API answering JSON only never needs
 * (parsing and re-formatting the Content-Type, ETag and freshness checks, switched off here anyway): ~0.03 ms of
 * CPU per response. Node omits the body of a HEAD response itself.
 */
function writeJson(res: Response, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** Sends a success body with `request_id` and `status_code`, as every Stytch response carries. */
export function send(res: Response, body: object, status = 200): void {
  writeJson(res, status, { request_id: res.locals.requestId as string, ...body, status_code: status });
}

function errorUrl(ctx: EmulatorContext, status: number, type: string): string {
  return `https://stytch.com/docs/api-reference/${ctx.projectType}/api/errors/${status}#${type}`;
}

/** The project-domain OAuth endpoints, whose errors are OAuth-shaped even when the body cannot be read. */
const OAUTH_PATH = /^\/v1\/(public\/[^/]+\/)?oauth2\//;

/**
 * Writes every error body of the emulator, OAuth-shaped or Stytch-shaped, and notes its code in
 * `res.locals.errorCode` (the evidence of conformance runs reads it there, faults/evidence.ts).
 */
export function errorHandler(ctx: EmulatorContext) {
  return (rawErr: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const request_id = (res.locals.requestId as string | undefined) ?? `request-id-${ctx.idEnvironment}-${randomUUID()}`;
    const bodyError = bodyParserError(rawErr);
    const err: unknown =
      bodyError && OAUTH_PATH.test(req.path)
        ? new OAuthError(bodyErrorKind(bodyError.status), `The request body could not be read: ${bodyError.message}`)
        : rawErr;
    if (err instanceof OAuthError) {
      res.locals.errorCode = err.code;
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      writeJson(res, err.status, {
        status_code: err.status,
        request_id,
        error: err.code,
        error_description: err.description,
        error_uri: `https://stytch.com/docs/api-reference/${ctx.projectType}/api/connected-apps/errors#${err.code}`,
      });
      return;
    }
    let e: StytchApiError;
    if (err instanceof StytchApiError) e = err;
    else if (bodyError?.type === 'entity.parse.failed') e = new StytchApiError('bad_request', 'The request body is not valid JSON.');
    else if (bodyError) e = new StytchApiError('bad_request', `The request body could not be read: ${bodyError.message}`);
    else {
      req.log?.error({ err }, 'unhandled emulator error');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'unhandled emulator error');
      e = new StytchApiError('internal_server_error', 'Oops, something went wrong. The emulator logged the details.');
    }
    res.locals.errorCode = e.errorType;
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    writeJson(res, e.status, {
      status_code: e.status,
      request_id,
      error_type: e.errorType,
      error_message: e.message,
      error_url: errorUrl(ctx, e.status, e.errorType),
      ...(e.details ? { error_details: e.details } : {}),
    });
  };
}

function bodyErrorKind(status: number): OAuthErrorKind {
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'invalid_request';
}

/**
 * A client error raised by express's body parsers (malformed JSON, a body over the limit, an unsupported
 * charset or encoding): always a 4xx for the caller, never a 500 (cat. AS-39).
 */
function bodyParserError(err: unknown): { status: number; type: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, message } = err as { type?: unknown; status?: unknown; message?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (!/^(entity\.|charset\.|encoding\.|request\.)/.test(type)) return undefined;
  return { status, type, message: typeof message === 'string' ? message : type };
}
