/**
 * A fault scenario makes the emulator misbehave on purpose, for one client, so a test can prove that the
 * relying party rejects what a broken or hostile authorization server sends. Each scenario mirrors a module
 * of the OpenID conformance suite's RP plans (SECURITY-CATALOGUE §2) and lives in its own file under
 * `scenarios/`, registered in `index.ts`.
 *
 * Hooks run in this order on the token endpoint:
 *   beforeToken → (grant handled) → idTokenClaims → idTokenHeader → sign → idTokenCompact
 */
import type { JWTPayload } from 'jose';

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

/** Optional knobs of the active scenarios of a client. */
export interface FaultParams {
  /** `token-slow`: how long the token endpoint stalls before answering. */
  token_delay_ms?: number;
}

export interface FaultScenario {
  /** The catalogue name, e.g. `invalid-iss` (without the `oidcc-client-test-` prefix). */
  readonly name: string;
  /** What the emulator does wrong. */
  readonly description: string;
  /** What a correct relying party must do about it. */
  readonly rpMustDo: string;
  /** The conformance-suite module this mirrors, for cross-reference. */
  readonly conformanceModule: string;
  /** Changes the ID token's claims before it is signed. */
  idTokenClaims?(claims: JWTPayload, info: IdTokenHookInfo): void;
  /** Changes the ID token's protected header before it is signed (`alg` stays RS256 here). */
  idTokenHeader?(header: Record<string, unknown>): void;
  /** Rewrites the signed compact JWS (tampered signature, unsigned token). */
  idTokenCompact?(jwt: string): string;
  /** Runs when the token endpoint has authenticated the client, before it touches the grant. */
  beforeToken?(info: TokenRequestHookInfo): Promise<void> | void;
}
