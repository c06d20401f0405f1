/**
 * Fault injection: the registry of scenarios, which ones are active for which client, and the hooks the
 * token endpoint calls. Faults are per client so that parallel tests do not collide; they are set through the
 * emulator-only admin endpoint (`PUT /emulator/clients/{client_id}/faults`) or the seed's `faults` field,
 * and every use is logged as a warning: a faulty emulator must never be mistaken for a healthy one.
 */
import type { JWTPayload } from 'jose';
import type { EmulatorContext } from '../context.ts';
import { algNone } from './scenarios/alg-none.ts';
import { expired } from './scenarios/expired.ts';
import { invalidAud } from './scenarios/invalid-aud.ts';
import { invalidIss } from './scenarios/invalid-iss.ts';
import { invalidSigRs256 } from './scenarios/invalid-sig-rs256.ts';
import { kidUnknown } from './scenarios/kid-unknown.ts';
import { nonceInvalid } from './scenarios/nonce-invalid.ts';
import { refreshInvalidSub } from './scenarios/refresh-invalid-sub.ts';
import { token5xx } from './scenarios/token-5xx.ts';
import { tokenSlow } from './scenarios/token-slow.ts';
import type { FaultParams, FaultScenario, IdTokenHookInfo } from './types.ts';

export type { FaultParams, FaultScenario };

/** Every scenario, in catalogue order. Add a scenario: one file in `scenarios/`, one line here. */
export const SCENARIOS = [
  invalidIss,
  invalidAud,
  invalidSigRs256,
  algNone,
  kidUnknown,
  expired,
  nonceInvalid,
  refreshInvalidSub,
  tokenSlow,
  token5xx,
] as const satisfies readonly FaultScenario[];

export type FaultName = (typeof SCENARIOS)[number]['name'];
export const FAULT_NAMES = SCENARIOS.map((s) => s.name) as [FaultName, ...FaultName[]];

const BY_NAME = new Map<string, FaultScenario>(SCENARIOS.map((s) => [s.name, s]));

export interface ClientFaults {
  client_id: string;
  scenarios: FaultName[];
  params: FaultParams;
  set_by: 'admin' | 'seed';
  set_at: number;
}

function collection(ctx: Pick<EmulatorContext, 'store'>) {
  return ctx.store.collection<ClientFaults>('faults');
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

/** The active scenarios of a client, logged loudly each time they are about to act. */
function active(ctx: EmulatorContext, clientId: string, hook: keyof FaultScenario): { scenarios: FaultScenario[]; params: FaultParams } {
  const record = getClientFaults(ctx, clientId);
  if (!record) return { scenarios: [], params: {} };
  const scenarios = record.scenarios.map((n) => BY_NAME.get(n)).filter((s): s is FaultScenario => s !== undefined && s[hook] !== undefined);
  for (const s of scenarios) ctx.log.warn({ client_id: clientId, scenario: s.name, hook }, `FAULT INJECTED: ${s.name}`);
  return { scenarios, params: record.params };
}

/** Token endpoint, after client authentication: may stall or fail on purpose. */
export async function runBeforeTokenFaults(ctx: EmulatorContext, clientId: string, grantType: string, signal: AbortSignal): Promise<void> {
  const { scenarios, params } = active(ctx, clientId, 'beforeToken');
  for (const s of scenarios) await s.beforeToken!({ clientId, grantType, params, signal });
}

/**
 * Signs an ID token for a client, letting its active scenarios change claims, header and the compact form.
 * Without faults this is exactly `ctx.keys.sign(claims)`.
 */
export async function signIdTokenWithFaults(ctx: EmulatorContext, clientId: string, claims: JWTPayload, info: IdTokenHookInfo): Promise<string> {
  const record = getClientFaults(ctx, clientId);
  if (!record) return ctx.keys.sign(claims);
  const draft = { ...claims };
  for (const s of active(ctx, clientId, 'idTokenClaims').scenarios) s.idTokenClaims!(draft, info);
  const header: Record<string, unknown> = {};
  for (const s of active(ctx, clientId, 'idTokenHeader').scenarios) s.idTokenHeader!(header);
  let jwt = await ctx.keys.sign(draft, { header });
  for (const s of active(ctx, clientId, 'idTokenCompact').scenarios) jwt = s.idTokenCompact!(jwt);
  return jwt;
}
