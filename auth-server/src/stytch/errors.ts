/**
 * The one place where the SDK's exceptions become our own error. Nothing outside `stytch/` sees
 * `StytchError` or `RequestError`.
 *
 * Why translate instead of passing them on: a `RequestError` carries the request config, whose headers hold
 * `Authorization: Basic base64(project_id:secret)`. Logging it would leak the project secret.
 */
import { RequestError, StytchError } from 'stytch';
import { CodedError, errorMessage } from '../../../src/shared/errors.ts';

export type StytchFailureCode =
  /** Stytch could not be reached, timed out, answered 5xx or something that is not JSON. */
  | 'stytch_unavailable'
  /** Stytch refused this project's credentials: STYTCH_PROJECT_ID / STYTCH_SECRET are wrong. */
  | 'stytch_misconfigured'
  /** Stytch is rate-limiting this project. */
  | 'stytch_rate_limited'
  /** Stytch answered 4xx for this request (unknown client, bad redirect_uri, expired session, wrong password…). */
  | 'stytch_rejected';

export class StytchCallError extends CodedError<StytchFailureCode> {
  constructor(
    code: StytchFailureCode,
    /** Which SDK call failed, e.g. `idp.oauth.authorizeStart`. */
    readonly operation: string,
    /** From Stytch's error body; absent when Stytch was not reached. */
    readonly details: { status?: number; errorType?: string; errorMessage?: string; requestId?: string } = {},
  ) {
    super(code, `${operation}: ${code}${details.errorType ? ` (${details.status} ${details.errorType})` : ''}`);
  }

  /** Fields safe to log: no secret, no token. */
  toLog(): Record<string, unknown> {
    return { errorCode: this.code, operation: this.operation, ...this.details };
  }
}

/**
 * Stytch's error type for a bad project id/secret. Passwords authenticate may use the same type for a wrong
 * password, so this is only read as "misconfigured" for calls that carry no user credentials.
 */
const PROJECT_CREDENTIALS_ERROR = 'unauthorized_credentials';

export function translateStytchError(operation: string, err: unknown, opts: { userCredentials?: boolean } = {}): StytchCallError {
  if (err instanceof StytchCallError) return err;
  if (err instanceof StytchError) {
    const details = {
      status: typeof err.status_code === 'number' ? err.status_code : undefined,
      errorType: err.error_type,
      errorMessage: err.error_message,
      requestId: err.request_id,
    };
    const status = details.status;
    if (status === undefined || status >= 500) return new StytchCallError('stytch_unavailable', operation, details);
    if (status === 429) return new StytchCallError('stytch_rate_limited', operation, details);
    if (status === 401 && details.errorType === PROJECT_CREDENTIALS_ERROR && !opts.userCredentials) {
      return new StytchCallError('stytch_misconfigured', operation, details);
    }
    return new StytchCallError('stytch_rejected', operation, details);
  }
  if (err instanceof RequestError) {
    // "fetch failed" (refused, reset, timeout through the undici dispatcher) or a body that is not JSON.
    return new StytchCallError('stytch_unavailable', operation, { errorMessage: errorMessage(err) });
  }
  // A ClientError (local SDK check) or a bug: not a Stytch answer, so it must not be mistaken for one.
  throw err;
}

/** Runs one SDK call and translates its failure. */
export async function callStytch<T>(operation: string, fn: () => Promise<T>, opts?: { userCredentials?: boolean }): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateStytchError(operation, err, opts);
  }
}

/** For lookups where Stytch's "no" (4xx) means "there is none": the session, the client. */
export async function nullIfRejected<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof StytchCallError && err.code === 'stytch_rejected') return null;
    throw err;
  }
}
