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

export class StytchApiError extends CodedError<string> {
  constructor(
    readonly status: number,
    /** Stytch's `error_type`, e.g. `unauthorized_credentials`, `user_not_found`. */
    readonly errorType: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Response headers, e.g. `Retry-After` on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(errorType, message);
  }
}

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri'
  /** Not an RFC 6749 code: Stytch's rate-limit error_type, used with 429 and `Retry-After`. */
  | 'too_many_requests';

export class OAuthError extends CodedError<OAuthErrorCode> {
  constructor(
    readonly status: number,
    code: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, description);
  }
}

/** Every request gets a Stytch-shaped request id, echoed in every body. */
export function requestId(ctx: EmulatorContext) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.requestId = `request-id-${ctx.idEnvironment}-${randomUUID()}`;
    next();
  };
}

/** Sends a success body with `request_id` and `status_code`, as every Stytch response carries. */
export function send(res: Response, body: object, status = 200): void {
  res.status(status).json({ request_id: res.locals.requestId as string, ...body, status_code: status });
}

function errorUrl(ctx: EmulatorContext, status: number, type: string): string {
  return `https://stytch.com/docs/api-reference/${ctx.projectType}/api/errors/${status}#${type}`;
}

/** The project-domain OAuth endpoints, whose errors are OAuth-shaped even when the body cannot be read. */
const OAUTH_PATH = /^\/v1\/(public\/[^/]+\/)?oauth2\//;

export function errorHandler(ctx: EmulatorContext) {
  return (rawErr: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const request_id = (res.locals.requestId as string | undefined) ?? `request-id-${ctx.idEnvironment}-${randomUUID()}`;
    const bodyError = bodyParserError(rawErr);
    const err: unknown =
      bodyError && OAUTH_PATH.test(req.path)
        ? new OAuthError(bodyError.status, 'invalid_request', `The request body could not be read: ${bodyError.message}`)
        : rawErr;
    if (err instanceof OAuthError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      res.status(err.status).json({
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
    else if (bodyError?.type === 'entity.parse.failed') e = new StytchApiError(400, 'invalid_json', 'The request body is not valid JSON.');
    else if (bodyError) e = new StytchApiError(bodyError.status, 'bad_request', `The request body could not be read: ${bodyError.message}`);
    else {
      req.log?.error({ err }, 'unhandled emulator error');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'unhandled emulator error');
      e = new StytchApiError(500, 'internal_server_error', 'Oops, something went wrong. The emulator logged the details.');
    }
    for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
    res.status(e.status).json({
      status_code: e.status,
      request_id,
      error_type: e.errorType,
      error_message: e.message,
      error_url: errorUrl(ctx, e.status, e.errorType),
      ...(e.details ? { error_details: e.details } : {}),
    });
  };
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
