/**
 * Test helpers for the identity half: an emulator in-process on port 0 with `:memory:` storage (or a file),
 * a movable clock, and the real `stytch` SDK clients pointed at it.
 */
import * as stytch from 'stytch';
import { loadDemoSeed } from '../../../shared/demo.ts';
import type { ProjectType } from '../../../shared/project.ts';
import { createLogger } from '../../../shared/log.ts';
import { quietEmulatorClient } from '../../../shared/stytch-sdk.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../index.ts';

export const consumerDemo = loadDemoSeed('consumer');
export const b2bDemo = loadDemoSeed('b2b');
export const DEMO_PASSWORD = 'correct-horse-battery-staple';
export const DEMO_USER = consumerDemo.users![0]!;
export const DEMO_ORG = b2bDemo.organizations![0]!;
export const DEMO_MEMBER = DEMO_ORG.members[0]!;

/** Epoch-seconds clock the tests can move; starts at the real time. */
export class Clock {
  t = Math.floor(Date.now() / 1000);
  now = (): number => this.t;
  advance(seconds: number): void {
    this.t += seconds;
  }
}

export interface Harness {
  emulator: RunningEmulator;
  clock: Clock;
}

export async function start(projectType: ProjectType, options: EmulatorOptions = {}): Promise<Harness> {
  const clock = new Clock();
  const emulator = await startEmulator({
    projectType,
    db: ':memory:',
    host: '127.0.0.1',
    now: clock.now,
    logger: createLogger('emulator-test', 'silent'),
    ...options,
  });
  return { emulator, clock };
}

export function consumerClient(em: RunningEmulator, secret = em.secret): stytch.Client {
  return quietEmulatorClient(() => new stytch.Client({ project_id: em.projectId, secret, env: em.url }));
}

export function b2bClient(em: RunningEmulator, secret = em.secret): stytch.B2BClient {
  return quietEmulatorClient(() => new stytch.B2BClient({ project_id: em.projectId, secret, env: em.url }));
}

/** Runs `call` and returns the StytchError it throws (fails the test if it does not throw one). */
export { stytchError } from '../../../../test/support/stytch-error.ts';

let counter = 0;
/** A fresh, valid email address per call. */
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}@example.com`;
}
