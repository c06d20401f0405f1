/**
 * Fault injection: the registry of scenarios, which ones are active for which client, and the hooks the
 * token endpoint calls. Faults are per client so that parallel tests do not collide; they are set through the
 * emulator-only admin endpoint (`PUT /emulator/clients/{client_id}/faults`) or the seed's `faults` field,
 * and every use is logged as a warning: a faulty emulator must never be mistaken for a healthy one.
 */
import { SignJWT, type JWTPayload } from 'jose';
import type { EmulatorContext } from '../context.ts';
import type { PublicJwk } from '../keys.ts';
import { algNone } from './scenarios/alg-none.ts';
import { authzResponseIssMismatch } from './scenarios/authz-response-iss-mismatch.ts';
import { authzResponseStateMismatch } from './scenarios/authz-response-state-mismatch.ts';
import { authzResponseStateMissing } from './scenarios/authz-response-state-missing.ts';
import { b2bAccessTokenNoOrganization } from './scenarios/b2b-access-token-no-organization.ts';
import { expired } from './scenarios/expired.ts';
import { iatWeekInPast } from './scenarios/iat-week-in-past.ts';
import { invalidAud } from './scenarios/invalid-aud.ts';
import { invalidIss } from './scenarios/invalid-iss.ts';
import { invalidSecondaryAud } from './scenarios/invalid-secondary-aud.ts';
import { invalidSigHs256 } from './scenarios/invalid-sig-hs256.ts';
import { invalidSigRs256 } from './scenarios/invalid-sig-rs256.ts';
import { kidAbsentMultipleJwks } from './scenarios/kid-absent-multiple-jwks.ts';
import { kidAbsentSingleJwks } from './scenarios/kid-absent-single-jwks.ts';
import { kidUnknown } from './scenarios/kid-unknown.ts';
import { missingAud } from './scenarios/missing-aud.ts';
import { missingIat } from './scenarios/missing-iat.ts';
import { missingSub } from './scenarios/missing-sub.ts';
import { noExpiresIn } from './scenarios/no-expires-in.ts';
import { nonceInvalid } from './scenarios/nonce-invalid.ts';
import { nonceMissing } from './scenarios/nonce-missing.ts';
import { refreshInvalidIss } from './scenarios/refresh-invalid-iss.ts';
import { refreshInvalidSub } from './scenarios/refresh-invalid-sub.ts';
import { signingKeyRotation } from './scenarios/signing-key-rotation.ts';
import { token5xx } from './scenarios/token-5xx.ts';
import { tokenErrorInvalidGrant } from './scenarios/token-error-invalid-grant.ts';
import { tokenSlow } from './scenarios/token-slow.ts';
import { tokenTypeCase } from './scenarios/token-type-case.ts';
import { typNotJwt } from './scenarios/typ-not-jwt.ts';
import { userinfoSubMismatch } from './scenarios/userinfo-sub-mismatch.ts';
import { noScopeInTokenResponse } from './scenarios/no-scope-in-token-response.ts';
import { validAudAsArrayWithAzp } from './scenarios/valid-aud-as-array-with-azp.ts';
import { recordEvent, recordJwksServed } from './evidence.ts';
import type { ExpectedOutcome, FaultParams, FaultScenario, IdTokenHookInfo, ScenarioOrigin, ScenarioStep, TokenResponseHookInfo } from './types.ts';

export type { ExpectedOutcome, FaultParams, FaultScenario, ScenarioOrigin, ScenarioStep };

/** Every scenario, in catalogue order. Add a scenario: one file in `scenarios/`, one line here. */
export const SCENARIOS = [
  // ID token
  invalidIss,
  missingSub,
  invalidAud,
  missingAud,
  invalidSecondaryAud,
  validAudAsArrayWithAzp,
  missingIat,
  expired,
  iatWeekInPast,
  nonceInvalid,
  nonceMissing,
  algNone,
  invalidSigRs256,
  invalidSigHs256,
  kidAbsentSingleJwks,
  kidAbsentMultipleJwks,
  kidUnknown,
  signingKeyRotation,
  typNotJwt,
  // Authorization response
  authzResponseIssMismatch,
  authzResponseStateMismatch,
  authzResponseStateMissing,
  // UserInfo
  userinfoSubMismatch,
  // Token endpoint
  tokenErrorInvalidGrant,
  token5xx,
  tokenSlow,
  tokenTypeCase,
  noExpiresIn,
  noScopeInTokenResponse,
  // Refresh
  refreshInvalidIss,
  refreshInvalidSub,
  // Stytch specifics
  b2bAccessTokenNoOrganization,
] as const satisfies readonly FaultScenario[];

export type FaultName = (typeof SCENARIOS)[number]['name'];
export const FAULT_NAMES = SCENARIOS.map((s) => s.name) as [FaultName, ...FaultName[]];

const BY_NAME = new Map<string, FaultScenario>(SCENARIOS.map((s) => [s.name, s]));

/** The scenario of a name (undefined for a name that is not in the catalogue). */
export function scenarioByName(name: string): FaultScenario | undefined {
  return BY_NAME.get(name);
}

export interface ClientFaults {
  client_id: string;
  scenarios: FaultName[];
  params: FaultParams;
  set_by: 'admin' | 'seed';
  set_at: number;
}

function collection(ctx: Pick<EmulatorContext, 'store'>) {
  // Asked at every hook of every flow, almost always for a client without faults.
  return ctx.store.collection<ClientFaults>('faults', { cacheById: true });
}

export function getClientFaults(ctx: Pick<EmulatorContext, 'store'>, clientId: string): ClientFaults | undefined {
  return collection(ctx).get(clientId);
}

/** Sets the active scenarios of a client (an empty list clears them). */
export function setClientFaults(
  ctx: Pick<EmulatorContext, 'store' | 'log' | 'now'>,
  clientId: string,
  scenarios: FaultName[],
  setBy: ClientFaults['set_by'],
  params: FaultParams = {},
): ClientFaults | undefined {
  if (scenarios.length === 0) {
    clearClientFaults(ctx, clientId);
    return undefined;
  }
  const record: ClientFaults = { client_id: clientId, scenarios: [...new Set(scenarios)], params, set_by: setBy, set_at: ctx.now() };
  collection(ctx).put(clientId, record);
  ctx.log.warn(
    { client_id: clientId, scenarios: record.scenarios, set_by: setBy },
    'FAULT INJECTION ENABLED for this client: the emulator will now misbehave on purpose for it',
  );
  return record;
}

export function clearClientFaults(ctx: Pick<EmulatorContext, 'store'>, clientId: string): void {
  collection(ctx).delete(clientId);
}

/**
 * Runs the `onActivate` hooks of the scenarios just switched on through the admin endpoint, before it
 * answers: e.g. a rotated key is in the JWKS before any token is signed with it.
 */
export async function activateClientFaults(ctx: EmulatorContext, record: ClientFaults): Promise<void> {
  for (const name of record.scenarios) {
    const s = BY_NAME.get(name);
    if (s?.onActivate) await s.onActivate(ctx);
  }
}

/** The active scenarios of a client that have `hook`, logged loudly each time they are about to act. */
function active(ctx: EmulatorContext, clientId: string, hook: keyof FaultScenario): { scenarios: FaultScenario[]; params: FaultParams } {
  const record = getClientFaults(ctx, clientId);
  if (!record) return { scenarios: [], params: {} };
  const scenarios = record.scenarios.map((n) => BY_NAME.get(n)).filter((s): s is FaultScenario => s !== undefined && s[hook] !== undefined);
  for (const s of scenarios) {
    ctx.log.warn({ client_id: clientId, scenario: s.name, hook }, `FAULT INJECTED: ${s.name}`);
    recordEvent(ctx, { kind: 'injection', client_id: clientId, scenario: s.name, hook });
  }
  // A scenario's own defaults, overridden by what the admin endpoint or the seed set.
  const params = Object.assign({}, ...scenarios.map((s) => s.params ?? {}), record.params) as FaultParams;
  return { scenarios, params };
}

/** The redirect back to the client (code or error), as the client's active scenarios rewrite it. */
export function applyAuthorizationResponseFaults(ctx: EmulatorContext, clientId: string, url: URL): void {
  for (const s of active(ctx, clientId, 'authorizationResponse').scenarios) s.authorizationResponse!(url);
}

/** Token endpoint, after client authentication: may stall or fail on purpose. */
export async function runBeforeTokenFaults(ctx: EmulatorContext, clientId: string, grantType: string, signal: AbortSignal): Promise<void> {
  const { scenarios, params } = active(ctx, clientId, 'beforeToken');
  for (const s of scenarios) await s.beforeToken!({ clientId, grantType, params, signal });
}

/** Access token claims, before signing. */
export function applyAccessTokenFaults(ctx: EmulatorContext, clientId: string, claims: JWTPayload): void {
  for (const s of active(ctx, clientId, 'accessTokenClaims').scenarios) s.accessTokenClaims!(claims);
}

/**
 * Signs an ID token for a client, letting its active scenarios change claims, header, signing key and the
 * compact form. Without faults this is exactly `ctx.keys.sign(claims)`.
 */
export async function signIdTokenWithFaults(ctx: EmulatorContext, clientId: string, claims: JWTPayload, info: IdTokenHookInfo): Promise<string> {
  if (!getClientFaults(ctx, clientId)) return ctx.keys.sign(claims);
  const draft = { ...claims };
  for (const s of active(ctx, clientId, 'idTokenClaims').scenarios) s.idTokenClaims!(draft, info);
  const keyScenario = active(ctx, clientId, 'idTokenKey').scenarios[0];
  const key = keyScenario ? await keyScenario.idTokenKey!(ctx) : undefined;
  const header: Record<string, unknown> = key ? { kid: key.kid } : {};
  for (const s of active(ctx, clientId, 'idTokenHeader').scenarios) s.idTokenHeader!(header);
  let jwt = key
    ? await new SignJWT(draft).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header }).sign(key.privateKey)
    : await ctx.keys.sign(draft, { header });
  for (const s of active(ctx, clientId, 'idTokenCompact').scenarios) jwt = s.idTokenCompact!(jwt);
  return jwt;
}

/** The token endpoint's body, as the client's active scenarios rewrite it (a copy: the typed response stays intact). */
export async function applyTokenResponseFaults<T extends object>(
  ctx: EmulatorContext,
  clientId: string,
  response: T,
  info: { grantType: string; presentedSecret: () => string | undefined },
): Promise<T | Record<string, unknown>> {
  const { scenarios } = active(ctx, clientId, 'tokenResponse');
  if (scenarios.length === 0) return response;
  const body = { ...response } as Record<string, unknown>;
  const hookInfo: TokenResponseHookInfo = { grantType: info.grantType, presentedSecret: info.presentedSecret() };
  for (const s of scenarios) await s.tokenResponse!(body, hookInfo);
  return body;
}

/** UserInfo claims, as the client's active scenarios rewrite them. */
export function applyUserinfoFaults<T extends object>(ctx: EmulatorContext, clientId: string, claims: T): T | Record<string, unknown> {
  const { scenarios } = active(ctx, clientId, 'userinfo');
  if (scenarios.length === 0) return claims;
  const draft = { ...claims } as Record<string, unknown>;
  for (const s of scenarios) s.userinfo!(draft);
  return draft;
}

/**
 * The published JWKS (`jwks_uri`). Key sets are the project's, not a client's, so a JWKS scenario applies while
 * any client has it active, and is logged each time.
 */
export async function publishedJwks(ctx: EmulatorContext): Promise<{ keys: PublicJwk[] }> {
  let keys = ctx.keys.jwks().keys;
  const records = collection(ctx).all();
  for (const name of new Set(records.flatMap((r) => r.scenarios))) {
    const s = BY_NAME.get(name);
    if (!s?.jwks) continue;
    ctx.log.warn({ scenario: s.name, hook: 'jwks' }, `FAULT INJECTED: ${s.name}`);
    for (const r of records) if (r.scenarios.includes(name)) recordEvent(ctx, { kind: 'injection', client_id: r.client_id, scenario: name, hook: 'jwks' });
    keys = await s.jwks(keys, ctx);
  }
  recordJwksServed(ctx);
  return { keys };
}
