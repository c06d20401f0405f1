/**
 * A fault scenario makes the emulator misbehave on purpose, for one client, so a test can prove that the
 * relying party rejects what a broken or hostile authorization server sends (or accepts what an odd but
 * legal one sends). Each scenario mirrors a module of the OpenID conformance suite's RP plans (OIDCC or FAPI
 * client tests) or a Stytch specific, lives in its own file under `scenarios/`
 * (`defineScenario`), and is registered in `index.ts`. Its expected outcome is data next to it, so the
 * tests, the `conformance` command and docs/faults.md all read the same answer.
 *
 * Hooks, in the order a login meets them:
 *   onActivate (when set through the admin endpoint)
 *   authorizationResponse (the redirect back to the client)
 *   beforeToken → (grant handled) → accessTokenClaims → idTokenClaims → idTokenHeader → idTokenKey → sign
 *   → idTokenCompact → tokenResponse
 *   userinfo
 *   jwks (the published key set, while any client has the scenario active)
 */
import type { JWTPayload } from 'jose';
import type { ProjectType } from '../../shared/project.ts';
import type { EmulatorContext } from '../context.ts';
import type { PublicJwk } from '../keys.ts';

export interface IdTokenHookInfo {
  grantType: 'authorization_code' | 'refresh_token';
  issuer: string;
  /** Epoch seconds. */
  now: number;
}

export interface TokenRequestHookInfo {
  clientId: string;
  grantType: string;
  params: FaultParams;
  /** Aborted when the caller hangs up, so that a stalled request does not outlive its connection. */
  signal: AbortSignal;
}

export interface TokenResponseHookInfo {
  grantType: string;
  /** The secret the client authenticated with at this request (confidential clients), never stored. */
  presentedSecret: string | undefined;
}

/** Optional knobs of the active scenarios of a client. */
export interface FaultParams {
  /** `token-slow`: how long the token endpoint stalls before answering. */
  token_delay_ms?: number;
}

/** A private key a scenario signs with instead of the project's key (its public half is in the JWKS hook). */
export interface ScenarioKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/**
 * What a correct relying party does, and how it says so:
 * - `accept`: it signs the person in;
 * - `reject` `by: 'openid-client'`: openid-client (configured as the client-app is: RS256 pinned,
 *   enableNonRepudiationChecks) throws this error `code`; `check` names the claim, parameter or OAuth
 *   `error` it is about;
 * - `reject` `by: 'application'`: openid-client accepts it, so the application must check; `code` is the
 *   error code the reference client-app raises.
 */
export type ExpectedOutcome =
  | { readonly outcome: 'accept' }
  | { readonly outcome: 'reject'; readonly by: 'openid-client' | 'application'; readonly code: string; readonly check?: string };

/**
 * Where a scenario comes from: the OpenID Foundation's OIDCC or FAPI client test modules, a behaviour of
 * Stytch, a rule of the specifications (RFC 6749, OIDC Core) with no conformance module of its own, or an
 * operational failure every client meets (no conformance module).
 */
export type ScenarioOrigin = 'OIDCC' | 'FAPI' | 'Stytch' | 'spec' | 'operational';

/** Which step of the relying party meets the fault: the login, or a refresh after a normal login. */
export type ScenarioStep = 'login' | 'refresh';

export interface FaultScenario<Name extends string = string> {
  /** The catalogue name, e.g. `invalid-iss` (without the `oidcc-client-test-` prefix). */
  readonly name: Name;
  /** What the emulator does wrong. */
  readonly description: string;
  /** What a correct relying party must do about it, and why. */
  readonly rpMustDo: string;
  readonly expected: ExpectedOutcome;
  readonly origin: ScenarioOrigin;
  /** The conformance-suite module this mirrors (or the Stytch behaviour), for cross-reference. */
  readonly conformanceModule: string;
  readonly step: ScenarioStep;
  /** Project types where the scenario changes anything (default: both). */
  readonly projectTypes?: readonly ProjectType[];
  /**
   * The relying party can only pass by fetching the JWKS again for a `kid` it has not seen. openid-client does
   * so at most once a minute, so a run must leave a minute since the RP's last JWKS fetch (or use a fresh client).
   */
  readonly needsJwksRefetch?: boolean;
  /** The fault is about the `nonce` the relying party sent: it means nothing for one that sends none. */
  readonly needsNonce?: boolean;
  /** Default parameters (the admin endpoint's `params` override them). */
  readonly params?: FaultParams;

  /** Prepares the emulator when the scenario is switched on (e.g. publishes a new key before it signs). */
  onActivate?(ctx: EmulatorContext): Promise<void>;
  /** Rewrites the authorization response's redirect (code or error) before the browser is sent there. */
  authorizationResponse?(url: URL): void;
  /** Changes the access token's claims before it is signed. */
  accessTokenClaims?(claims: JWTPayload): void;
  /** Changes the ID token's claims before it is signed. */
  idTokenClaims?(claims: JWTPayload, info: IdTokenHookInfo): void;
  /** Changes the ID token's protected header before it is signed (`alg` stays RS256 here). */
  idTokenHeader?(header: Record<string, unknown>): void;
  /** Signs the ID token with this key instead of the project's active one (its `kid` goes in the header). */
  idTokenKey?(ctx: EmulatorContext): Promise<ScenarioKey>;
  /** Rewrites the signed ID token (compact form), e.g. to break the signature. */
  idTokenCompact?(jwt: string): string;
  /** Runs when the token endpoint has authenticated the client, before it touches the grant. */
  beforeToken?(info: TokenRequestHookInfo): Promise<void> | void;
  /** Rewrites the token endpoint's JSON body (field names and values as on the wire). */
  tokenResponse?(body: Record<string, unknown>, info: TokenResponseHookInfo): Promise<void> | void;
  /** Changes the UserInfo claims. */
  userinfo?(claims: Record<string, unknown>): void;
  /**
   * Changes the published JWKS (`jwks_uri`). The key set is the project's, not a client's: this applies while
   * any client has the scenario active. Adding a key is harmless to other clients (their tokens name their
   * `kid`); removing one is not, so run such a scenario on its own.
   */
  jwks?(keys: PublicJwk[], ctx: EmulatorContext): Promise<PublicJwk[]> | PublicJwk[];
}

/**
 * Declares a scenario, keeping its name as a literal type: the registry's `FaultName` is then the union of
 * the names, and a table keyed by `FaultName` that misses a scenario does not compile.
 */
export function defineScenario<const Name extends string>(scenario: FaultScenario<Name>): FaultScenario<Name> {
  return scenario;
}
