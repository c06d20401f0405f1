/**
 * Errors of the client-app, and the one function that turns anything thrown (ours, openid-client's, a network
 * failure, a provider's OAuth error) into a `Failure` keyed for the error catalogue.
 *
 * openid-client reports many different ID token and response checks under one code
 * (`OAUTH_INVALID_RESPONSE`); the specific check is recovered here, once, so that pages and tests can name it.
 */
import * as oidc from 'openid-client';
import { CodedError } from '../../src/shared/errors.ts';
import type { Step } from './inspector/timeline.ts';

export type RpErrorCode =
  /** `/login?profile=` names no configured profile. */
  | 'ERR_UNKNOWN_PROFILE'
  /** The callback arrived but this browser session has no login in progress (lost cookie, expired session). */
  | 'ERR_NO_PENDING_LOGIN'
  /** The callback has no `state` parameter. */
  | 'ERR_STATE_MISSING'
  /** The callback's `state` matches no login this session started. */
  | 'ERR_STATE_MISMATCH'
  /** The login was started too long ago. */
  | 'ERR_LOGIN_EXPIRED'
  /** The ID token's `at_hash` does not match the access token (OIDC Core §3.1.3.8). */
  | 'ERR_AT_HASH_MISMATCH'
  /** The ID token's `typ` header says it is another kind of JWT (an access token, say): RFC 8725 §3.11. */
  | 'ERR_ID_TOKEN_TYPE'
  /** The ID token was issued too long ago to be the answer to this request (OIDC Core §3.1.3.7 step 10). */
  | 'ERR_ID_TOKEN_TOO_OLD'
  /** A refreshed ID token names another issuer, subject or audience than the original (OIDC Core §12.2). */
  | 'ERR_REFRESHED_ID_TOKEN_MISMATCH'
  /** The provider did not return an ID token where one is required. */
  | 'ERR_ID_TOKEN_MISSING'
  /** An action that needs a signed-in session was called without one. */
  | 'ERR_NOT_SIGNED_IN'
  /** Refresh was asked for but the provider issued no refresh token. */
  | 'ERR_NO_REFRESH_TOKEN'
  /** A POST without a valid anti-forgery token. */
  | 'ERR_CSRF'
  /** Plain-http issuer that is not on this machine. */
  | 'ERR_INSECURE_ISSUER'
  /** The issuer's discovery document could not be fetched or used. */
  | 'ERR_DISCOVERY_FAILED'
  /** Too many failed callbacks or session actions from this client (src/shared/rate-limit.ts). */
  | 'ERR_RATE_LIMITED'
  | 'ERR_NOT_FOUND';

export class RpError extends CodedError<RpErrorCode> {
  /** Extra facts for the error page (never secrets). */
  readonly facts: Record<string, string>;

  constructor(code: RpErrorCode, message: string, options?: { cause?: unknown; facts?: Record<string, string> }) {
    super(code, message, options);
    this.facts = options?.facts ?? {};
  }
}

/** A failure, classified. `key` selects the catalogue entry. */
export interface Failure {
  /** Catalogue key: an RpError code, an OAuth `error` value, or an openid-client code with the check, e.g. `OAUTH_INVALID_RESPONSE:state`. */
  key: string;
  /** The code as the library or provider reported it (shown verbatim, to search for). */
  code: string;
  /** The specific check or claim that failed, when known (`nonce`, `signature`, `iss`…). */
  check?: string | undefined;
  /** `error_description` from the provider: untrusted text, rendered escaped. */
  providerDescription?: string | undefined;
  /** HTTP status of the provider's response, when there was one. */
  providerStatus?: number | undefined;
  /** The technical message, for developers (no secrets: library messages never contain token values). */
  detail: string;
  facts: Record<string, string>;
}

/**
 * A failure already classified, with the steps of the flow up to it, so that the error page can show the
 * timeline of the attempt that failed.
 */
export class FlowFailure extends Error {
  constructor(
    readonly failure: Failure,
    readonly steps: Step[],
    options?: { cause?: unknown },
  ) {
    super(failure.detail, options);
    this.name = 'FlowFailure';
  }
}

/** Checks hidden behind `OAUTH_INVALID_RESPONSE`, recognised by openid-client's (stable, tested) messages. */
const INVALID_RESPONSE_CHECKS: Array<[RegExp, string]> = [
  [/response parameter "state" missing/, 'state-missing'],
  [/unexpected "state" response parameter/, 'state-mismatch'],
  [/response parameter "iss" \(issuer\) missing/, 'iss-param-missing'],
  [/unexpected "iss" \(issuer\) response parameter/, 'iss-param-mismatch'],
  [/signature verification failed/, 'signature'],
  [/unexpected JWT "alg" header/, 'alg'],
  [/claim missing/, 'claim-missing'],
  [/"id_token" property/, 'id-token-missing'],
];

function innerCause(err: unknown): { message: string; cause?: unknown } | undefined {
  if (err instanceof Error && err.cause instanceof Error) return err.cause;
  return undefined;
}

function claimOf(err: unknown): string | undefined {
  const inner = innerCause(err);
  const cause = inner?.cause;
  if (cause && typeof cause === 'object' && 'claim' in cause && typeof cause.claim === 'string') return cause.claim;
  if (cause && typeof cause === 'object' && 'attribute' in cause && typeof cause.attribute === 'string') return cause.attribute;
  return undefined;
}

function isNetworkError(err: unknown): err is TypeError {
  return err instanceof TypeError && /fetch failed|network|ECONNREFUSED|ENOTFOUND|socket/i.test(`${err.message} ${innerCause(err)?.message ?? ''}`);
}

/** Classifies anything thrown while handling a request. */
export async function classify(err: unknown): Promise<Failure> {
  if (err instanceof FlowFailure) return err.failure;
  if (err instanceof RpError) {
    // Discovery failures wrap the real cause; classify that, and keep the stage's code as the headline.
    if (err.code === 'ERR_DISCOVERY_FAILED' && err.cause) {
      const inner = await classify(err.cause);
      const key = inner.key === 'NETWORK_ERROR' || inner.key === 'OAUTH_TIMEOUT' ? 'ERR_DISCOVERY_FAILED' : inner.key;
      return { ...inner, key, facts: { ...err.facts, ...inner.facts } };
    }
    return { key: err.code, code: err.code, detail: err.message, facts: err.facts };
  }

  // An error redirected back from the authorization endpoint (`?error=access_denied`).
  if (err instanceof oidc.AuthorizationResponseError) {
    return { key: err.error, code: err.error, providerDescription: err.error_description, detail: err.message, facts: {} };
  }
  // An OAuth error body from the token, userinfo or revocation endpoint (`{"error":"invalid_grant"}`).
  if (err instanceof oidc.ResponseBodyError) {
    return { key: err.error, code: err.error, providerDescription: err.error_description, providerStatus: err.status, detail: err.message, facts: {} };
  }
  // A 401 with `WWW-Authenticate`: the error code is in the challenge, or in the body (which openid-client left unread).
  if (err instanceof oidc.WWWAuthenticateChallengeError) {
    const challenge = err.cause[0];
    let error = challenge?.parameters.error;
    let description = challenge?.parameters.error_description;
    if (!error) {
      const body = (await err.response.json().catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
      if (typeof body?.error === 'string') error = body.error;
      if (typeof body?.error_description === 'string') description = body.error_description;
    }
    const code = error ?? (challenge?.scheme === 'basic' ? 'invalid_client' : 'invalid_token');
    return { key: code, code, providerDescription: description, providerStatus: err.status, detail: err.message, facts: {} };
  }
  if (err instanceof oidc.ClientError) {
    const code = err.code ?? 'OAUTH_CLIENT_ERROR';
    const inner = innerCause(err);
    const detail = inner ? `${err.message}: ${inner.message}` : err.message;
    switch (code) {
      case 'OAUTH_INVALID_RESPONSE': {
        let check = INVALID_RESPONSE_CHECKS.find(([re]) => re.test(inner?.message ?? ''))?.[1];
        const claim = check === 'claim-missing' ? /JWT "(\w+)"/.exec(inner?.message ?? '')?.[1] : undefined;
        // A missing nonce has its own explanation: the token may belong to another login.
        if (claim === 'nonce') check = 'nonce-missing';
        return { key: check ? `${code}:${check}` : code, code, check: claim ?? check, detail, facts: claim ? { 'missing claim': claim } : {} };
      }
      case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      case 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED': {
        const check = claimOf(err);
        return { key: check ? `${code}:${check}` : code, code, check, detail, facts: {} };
      }
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM': {
        // openid-client puts the Response itself in `cause` here.
        const status = err.cause instanceof Response ? err.cause.status : undefined;
        return { key: code, code, providerStatus: status, detail, facts: {} };
      }
      default:
        return { key: code, code, detail, facts: {} };
    }
  }
  if (isNetworkError(err)) {
    const inner = innerCause(err);
    return { key: 'NETWORK_ERROR', code: 'NETWORK_ERROR', detail: `${err.message}${inner ? `: ${inner.message}` : ''}`, facts: {} };
  }
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { key: 'OAUTH_TIMEOUT', code: 'OAUTH_TIMEOUT', detail: err.message, facts: {} };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { key: 'UNEXPECTED', code: err instanceof CodedError ? err.code : 'UNEXPECTED', detail: message, facts: {} };
}
