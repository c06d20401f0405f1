/**
 * Step 1: read the authorization request from the query string (RFC 6749 §4.1.1, OIDC Core §3.1.2.1).
 *
 * Problems with client_id or redirect_uri throw a `PageError`: without a trusted redirect_uri there is
 * nowhere safe to send an error. Every other problem is returned as `problem`, to be sent back to the
 * client once its redirect_uri has been verified.
 */
import { PageError, type OAuthErrorCode } from '../errors.ts';

export const PROMPTS = ['none', 'login', 'consent', 'select_account'] as const;
export type Prompt = (typeof PROMPTS)[number];

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt: Prompt[];
  /** RFC 8707 `resource` parameters (may be repeated), passed to Stytch's authorize as `resources`. */
  resources: string[];
}

export interface ParsedAuthorizationRequest {
  request: AuthorizationRequest;
  problem?: { code: OAuthErrorCode; description: string };
}

/**
 * Stytch's own Authorization URL front end (stytchauth/stytch-browser, packages/web/src/utils/idpHelpers.ts)
 * is the reference for what an authorization request may leave out:
 * - no `scope` → its FALLBACK_SCOPES ("Scope is an optional param in OAuth2.1");
 * - no `response_type` → `code` ("ChatGPT isn't sending `response_type`"; Stytch defaults it server-side too).
 */
export const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
export const DEFAULT_RESPONSE_TYPE = 'code';

/** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 6749 §3.3: scope-token = 1*NQCHAR. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const KNOWN = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt'];

export function parseAuthorizationRequest(query: URLSearchParams): ParsedAuthorizationRequest {
  // RFC 6749 §3.1: parameters sent without a value are treated as omitted; none may be repeated.
  const one = (name: string): string | undefined => {
    const values = query.getAll(name).filter((v) => v !== '');
    return values[0];
  };
  const repeated = KNOWN.filter((name) => query.getAll(name).filter((v) => v !== '').length > 1);

  // Stytch's front end treats any request with post_logout_redirect_uri as an OIDC RP-initiated logout
  // (stytch-browser idpHelpers.ts, parseIDPParams). Stytch serves that only through its frontend SDK
  // (oauthLogoutStart); the backend SDK has no call for it, so it is refused with an explanation, never redirected.
  if (query.has('post_logout_redirect_uri')) {
    const logoutClient = one('client_id');
    throw new PageError('logout_not_supported', logoutClient ? { clientId: logoutClient } : {});
  }

  if (repeated.includes('client_id')) throw new PageError('duplicate_parameter', { parameter: 'client_id' });
  const clientId = one('client_id');
  if (!clientId) throw new PageError('missing_client_id');
  if (repeated.includes('redirect_uri')) throw new PageError('duplicate_parameter', { parameter: 'redirect_uri', clientId });
  const redirectUri = one('redirect_uri');
  if (!redirectUri) throw new PageError('missing_redirect_uri', { clientId });
  if (!isAbsoluteUrlWithoutFragment(redirectUri)) throw new PageError('malformed_redirect_uri', { clientId, redirectUri });

  const scope = one('scope');
  const prompt = (one('prompt') ?? '').split(' ').filter(Boolean);
  const codeChallenge = one('code_challenge');
  const codeChallengeMethod = one('code_challenge_method');
  const state = one('state');
  const nonce = one('nonce');
  const request: AuthorizationRequest = {
    clientId,
    redirectUri,
    responseType: one('response_type') ?? DEFAULT_RESPONSE_TYPE,
    scopes: scope ? scope.split(' ').filter(Boolean) : DEFAULT_SCOPES,
    ...(state !== undefined ? { state } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(codeChallenge !== undefined ? { codeChallenge } : {}),
    prompt: prompt.filter((p): p is Prompt => (PROMPTS as readonly string[]).includes(p)),
    // Every value, as Stytch's own Authorization URL front end does (`params.getAll('resource')`).
    resources: [...new Set(query.getAll('resource').filter((v) => v !== ''))],
  };

  const problem = findProblem();
  return problem ? { request, problem } : { request };

  function findProblem(): ParsedAuthorizationRequest['problem'] {
    const invalid = (description: string) => ({ code: 'invalid_request' as const, description });
    if (repeated.length > 0) return invalid(`${repeated[0]} must not be repeated`);
    if (query.has('request')) return { code: 'request_not_supported', description: 'request objects are not supported' };
    if (query.has('request_uri')) return { code: 'request_uri_not_supported', description: 'request_uri is not supported' };
    if (request.responseType !== 'code') {
      return { code: 'unsupported_response_type', description: 'only response_type=code is supported' };
    }
    const badScope = request.scopes.find((s) => !SCOPE_TOKEN.test(s));
    if (badScope !== undefined) return { code: 'invalid_scope', description: 'scope contains characters that are not allowed' };
    const badResource = request.resources.find((r) => !isAbsoluteUrlWithoutFragment(r));
    if (badResource !== undefined) {
      return { code: 'invalid_target', description: `resource ${badResource} is not an absolute URI without a fragment (RFC 8707 §2)` };
    }
    const unknownPrompt = prompt.find((p) => !(PROMPTS as readonly string[]).includes(p));
    if (unknownPrompt !== undefined) return invalid(`prompt value ${unknownPrompt} is not supported`);
    if (prompt.includes('none') && prompt.length > 1) return invalid('prompt=none cannot be combined with other prompt values');
    if (codeChallenge === undefined && codeChallengeMethod !== undefined) return invalid('code_challenge_method was sent without code_challenge');
    if (codeChallenge !== undefined) {
      // Without a method RFC 7636 means "plain", which Stytch does not do: S256 only, and said explicitly.
      if (codeChallengeMethod !== 'S256') return invalid('code_challenge_method must be S256');
      if (!S256_CHALLENGE.test(codeChallenge)) return invalid('code_challenge must be the 43-character base64url SHA-256 of the code_verifier');
    }
    return undefined;
  }
}

function isAbsoluteUrlWithoutFragment(value: string): boolean {
  if (value.includes('#')) return false;
  try {
    new URL(value);
    return /^[a-z][a-z0-9+.-]*:/i.test(value);
  } catch {
    return false;
  }
}
