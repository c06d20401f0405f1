/**
 * What the auth-server needs from Stytch, in one interface with two thin implementations
 * (`consumer.ts` for `stytch.Client`, `b2b.ts` for `stytch.B2BClient`). The routes use only this interface,
 * so Consumer and B2B share one code path.
 */
import type { ProjectType } from '../../../src/shared/project.ts';

/** Who is signed in: a Consumer user, or a B2B member of one organization. */
export interface Subject {
  /** `user_id` (Consumer) or `member_id` (B2B). */
  id: string;
  /** B2B only. */
  organizationId?: string;
}

/** Display data for the pages; never used for decisions. */
export interface Person {
  email: string;
  name?: string;
  organizationName?: string;
  organizationSlug?: string;
}

export interface SignedIn {
  /** The Stytch session token. It stays on the server, in the session store. */
  sessionToken: string;
  /** The session JWT Stytch issued with it (5-minute lifetime), verified locally while young enough. */
  sessionJwt?: string;
  subject: Subject;
  person: Person;
}

/** A session as Stytch vouches for it: its subject, and the newest session JWT. */
export interface AuthenticatedSession {
  subject: Subject;
  sessionJwt?: string;
}

export interface PasswordLogin {
  email: string;
  password: string;
  /** B2B only: the organization slug (or id). */
  organization?: string;
}

/** The OAuth parameters Stytch's authorizeStart validates. */
export interface AuthorizeStartParams {
  clientId: string;
  redirectUri: string;
  responseType: string;
  scopes: string[];
  /** Only `consent` is understood by Stytch; the auth-server handles `none` and `login` itself. */
  prompt?: string;
}

export interface AuthorizeParams extends AuthorizeStartParams {
  consentGranted: boolean;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  /** RFC 8707 resources; Stytch takes them at authorize only (the SDK's `resources`). */
  resources?: string[];
}

export interface ConnectedAppClient {
  id: string;
  name: string;
  description: string;
  /** first_party | first_party_public | third_party | third_party_public */
  type: string;
  logoUrl?: string;
}

export interface ScopeResult {
  scope: string;
  description: string;
  grantable: boolean;
}

export interface AuthorizeStartResult {
  subject: Subject;
  person: Person;
  client: ConnectedAppClient;
  consentRequired: boolean;
  scopes: ScopeResult[];
}

export interface StytchBackend {
  readonly projectType: ProjectType;
  loginWithPassword(login: PasswordLogin): Promise<SignedIn>;
  /**
   * Who the session belongs to, or `null` when Stytch no longer knows the session. With a session JWT
   * issued less than `maxTokenAgeSeconds` ago, the SDK verifies it locally (signature against the project's
   * JWKS, which it caches, plus issuer, audience and expiry) and Stytch is not called; an older or expired
   * JWT, or none, is checked by Stytch (`sessions.authenticate`), which answers with a fresh JWT. A JWT already
   * checked is not verified again while it would still pass (`session-jwt-cache.ts`).
   */
  authenticateSession(credential: { sessionToken: string; sessionJwt?: string | undefined }, maxTokenAgeSeconds: number): Promise<AuthenticatedSession | null>;
  revokeSession(sessionToken: string): Promise<void>;
  authorizeStart(params: AuthorizeStartParams, sessionToken: string): Promise<AuthorizeStartResult>;
  /** Returns the URL to send the browser to: the client's redirect_uri with a code, or with an OAuth error. */
  authorize(params: AuthorizeParams, sessionToken: string): Promise<{ redirectUri: string }>;
  /** The client's registered redirect URLs, or `null` when the client does not exist. */
  getClientRedirectUrls(clientId: string): Promise<{ name: string; redirectUrls: string[] } | null>;
  close(): Promise<void>;
}

/** True when two subjects are the same person (and, for B2B, the same organization). */
export function sameSubject(a: Subject, b: Subject): boolean {
  return a.id === b.id && a.organizationId === b.organizationId;
}

/** Stytch's authorizeStart and authorize take the same fields for both project types, apart from identity. */
export function startRequestFields(params: AuthorizeStartParams) {
  return {
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: params.responseType,
    scopes: params.scopes,
    ...(params.prompt ? { prompt: params.prompt } : {}),
  };
}

export function authorizeRequestFields(params: AuthorizeParams) {
  return {
    ...startRequestFields(params),
    consent_granted: params.consentGranted,
    ...(params.state !== undefined ? { state: params.state } : {}),
    ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
    ...(params.codeChallenge !== undefined ? { code_challenge: params.codeChallenge } : {}),
    ...(params.resources?.length ? { resources: params.resources } : {}),
  };
}

/** Maps the SDK's `client` and `scope_results` (same shape for both project types). */
export function toClient(client: {
  client_id: string;
  client_name: string;
  client_description: string;
  client_type: string;
  logo_url?: string;
}): ConnectedAppClient {
  return {
    id: client.client_id,
    name: client.client_name,
    description: client.client_description,
    type: client.client_type,
    ...(client.logo_url ? { logoUrl: client.logo_url } : {}),
  };
}

export function toScopes(results: ReadonlyArray<{ scope: string; description: string; is_grantable: boolean }> | undefined): ScopeResult[] {
  return (results ?? []).map((r) => ({ scope: r.scope, description: r.description, grantable: r.is_grantable }));
}
