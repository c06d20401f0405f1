/**
 * What every check gets: the resolved target (what to check), a small HTTP helper with a timeout, and the facts
 * earlier checks found (the discovery document, the client's registration, the tokens of the live login), so that
 * each request is made once and each check stays a few lines long.
 */
import type { ConnectedApp } from 'stytch';
import type * as oidc from 'openid-client';
import type { AuthMethod, ClientType } from './input.ts';

/** The resolved inputs: every default filled in, the emulator (if any) already started. */
export interface Target {
  mode: 'emulator' | 'project';
  /** Project domain (origin, no trailing slash), or undefined when only a project id was given. */
  apiUrl: string | undefined;
  /** The issuer as the Connected App has it, verbatim; undefined when not configured. */
  issuer: string | undefined;
  projectId: string | undefined;
  secret: string | undefined;
  projectType: 'consumer' | 'b2b';
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  scopes: string[];
  authMethod: AuthMethod | undefined;
  expectedClientType: ClientType | undefined;
  expectRefresh: boolean | undefined;
  expectDcr: boolean | undefined;
  /** An MCP server whose authorization server is this project (`--mcp-server-url`). */
  mcpServerUrl: string | undefined;
  user: { email: string; password: string; organization: string | undefined } | undefined;
  login: boolean;
  /** Chromium for the live login; set whenever `login` is on and there is a user (the CLI stops before the run otherwise). */
  browserPath: string | undefined;
  timeoutMs: number;
  artifactsDir: string | undefined;
}

export type Json = Record<string, unknown>;

/** One HTTP exchange, as a check needs it. `error` is set (and `status` is 0) when nothing answered. */
export interface HttpResult {
  url: string;
  status: number;
  headers: Headers;
  /** The parsed body when it is JSON, else undefined. */
  json: Json | undefined;
  text: string;
  error?: string;
}

/** A token endpoint response as openid-client returns it, with `claims()` for the ID token. */
export type Tokens = Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;

/** Facts found by earlier checks, read by later ones. Each is set by exactly one check (named in brackets). */
export interface Facts {
  /** [discovery.reachable] The OpenID configuration, and the URL it came from. */
  discovery?: { url: string; document: Json };
  /** [discovery.reachable] The Stytch error that came back instead (e.g. authorization_endpoint_not_configured_for_project). */
  discoveryError?: { url: string; status: number; errorType: string | undefined; message: string | undefined };
  /** [mcp.metadata] The RFC 8414 authorization server metadata. */
  asMetadata?: Json;
  /** [discovery.jwks] */
  jwks?: { keys: Json[] };
  /** [client.exists] The client's registration, from the Connected App management API. */
  client?: ConnectedApp;
  /** [login.browser] What the browser brought back to the redirect_uri, and the values sent with the request. */
  authorization?: { callbackUrl: URL; state: string; nonce: string; codeVerifier: string };
  /** [login.code-exchange] openid-client's configuration for this client, and the raw token response body. */
  oidcConfig?: oidc.Configuration;
  rawTokenResponse?: Json;
  tokens?: Tokens;
  /** [login.code-exchange] Why openid-client refused the token response, when it did after a 200. */
  tokenValidationError?: { code: string | undefined; message: string };
  /** [mcp-server.metadata] The MCP server's RFC 9728 document: its resource identifier, and where it was found. */
  mcpResource?: { metadataUrl: string; resource: string; document: Json };
  /** [login.refresh] The refresh token to revoke: the rotated one when the client is public. */
  refreshToken?: string;
}

export interface VerifyContext {
  target: Target;
  facts: Facts;
  http(url: string | URL, init?: RequestInit): Promise<HttpResult>;
  /** A short line for the progress indicator (shown on a terminal while slow steps run). */
  progress(message: string): void;
}

/** fetch with a timeout, no redirects followed, and a body parsed once; network errors become `error`. */
export async function httpRequest(url: string | URL, init: RequestInit, timeoutMs: number): Promise<HttpResult> {
  const href = String(url);
  let res: Response;
  try {
    res = await fetch(href, { redirect: 'manual', ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return { url: href, status: 0, headers: new Headers(), json: undefined, text: '', error: networkError(err, timeoutMs) };
  }
  const text = await res.text().catch(() => '');
  let json: Json | undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Json;
    } catch {
      json = undefined;
    }
  }
  return { url: href, status: res.status, headers: res.headers, json, text };
}

/** "connection refused", "timed out after 10000 ms", "DNS lookup failed", … from fetch's nested causes. */
function networkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens there)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `the TLS certificate is not trusted (${cause.code})`;
    default:
      return cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
}

/** The Stytch backend API's Basic auth (project id and secret, not form-encoded: that is what the SDK sends). */
export function projectAuth(projectId: string, secret: string): string {
  return `Basic ${Buffer.from(`${projectId}:${secret}`).toString('base64')}`;
}

export function isConfidential(type: string): boolean {
  return type === 'first_party' || type === 'third_party';
}
