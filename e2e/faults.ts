/**
 * Fault injection through the emulator's admin endpoint (`PUT /emulator/clients/{client_id}/faults`): makes the
 * emulator misbehave for one client, so that a spec can prove the client-app rejects what it sends.
 * Only the local emulator has it; a spec that needs it is skipped against your own project.
 */
import type { FaultName } from '../src/emulator/index.ts';
import type { Stack } from '../src/stack.ts';
import { stytchApi } from './people.ts';

/** A scenario of the emulator's hostile-provider catalogue (docs/faults.md). */
export type FaultScenario = FaultName;

export class Faults {
  private readonly touched = new Set<string>();

  constructor(private readonly stack: Stack) {}

  /** Turns `scenarios` on for `clientId` until the end of the test. */
  async inject(clientId: string, scenarios: FaultScenario[], params: { token_delay_ms?: number } = {}): Promise<void> {
    this.touched.add(clientId);
    await stytchApi(this.stack, 'PUT', `/emulator/clients/${encodeURIComponent(clientId)}/faults`, { scenarios, params });
  }

  /** Back to normal for every client this test touched (the stack is shared by the worker's next tests). */
  async clear(): Promise<void> {
    for (const clientId of this.touched) await stytchApi(this.stack, 'DELETE', `/emulator/clients/${encodeURIComponent(clientId)}/faults`);
    this.touched.clear();
  }
}
