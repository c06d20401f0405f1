/**
 * Signing keys that belong to fault scenarios, not to the project: a scenario that "rotates" the key or
 * publishes a second one signs one client's ID tokens with its own key, so other clients of the same project
 * (parallel tests) keep verifying against the project's keys, and nothing about the project changes for good.
 *
 * One key per scenario name and emulator, made on first use and kept in memory: fault keys are test
 * artefacts, not project state, so a restart makes new ones.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { EmulatorContext } from '../context.ts';
import type { PublicJwk } from '../keys.ts';
import type { ScenarioKey } from './types.ts';

const KEYS = new WeakMap<EmulatorContext, Map<string, Promise<ScenarioKey>>>();

async function makeKey(ctx: EmulatorContext, name: string): Promise<ScenarioKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  // Shaped like the project's own key ids (`jwk-test-…`), so that nothing but the key itself gives it away.
  const kid = `jwk-${ctx.idEnvironment}-fault-${name}-${randomUUID()}`;
  const publicJwk: PublicJwk = { ...(await exportJWK(publicKey)), kid, kty: 'RSA', alg: 'RS256', use: 'sig', key_ops: ['verify'] };
  return { kid, privateKey, publicJwk };
}

/** The key of scenario `name` for this emulator, made on first use. */
export function scenarioKey(ctx: EmulatorContext, name: string): Promise<ScenarioKey> {
  let keys = KEYS.get(ctx);
  if (!keys) {
    keys = new Map();
    KEYS.set(ctx, keys);
  }
  let key = keys.get(name);
  if (!key) {
    key = makeKey(ctx, name);
    keys.set(name, key);
  }
  return key;
}

/** The key set with scenario `name`'s public key added (once). */
export async function withScenarioKey(ctx: EmulatorContext, name: string, keys: PublicJwk[]): Promise<PublicJwk[]> {
  const { publicJwk } = await scenarioKey(ctx, name);
  return keys.some((k) => k.kid === publicJwk.kid) ? keys : [...keys, publicJwk];
}
