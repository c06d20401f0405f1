/**
 * Regression: a request that reached a port between its bind and the app's attach was accepted and never
 * answered (a curl at the demo's client-app hung until its timeout). Every server must answer from the moment
 * its port is open: 503 with Retry-After while it starts, then the app.
 */
import { describe, expect, it } from 'vitest';
import { bindPort, STARTING_RETRY_AFTER_S } from '../src/shared/http.ts';
import { STACK_PARTS, startStack, type StackPorts } from '../src/stack.ts';

async function freePort(): Promise<number> {
  const probe = await bindPort(0, '127.0.0.1');
  await probe.close();
  return probe.port;
}

describe('requests during startup get an answer', () => {
  it('bindPort: 503 with Retry-After until the app is attached, then the app', async () => {
    const bound = await bindPort(0, '127.0.0.1');
    try {
      const early = await fetch(`${bound.url}/anything`, { signal: AbortSignal.timeout(5_000) });
      expect([early.status, early.headers.get('retry-after'), early.headers.get('cache-control')]).toEqual([503, String(STARTING_RETRY_AFTER_S), 'no-store']);
      bound.attach((_req, res) => res.end('ready'));
      const later = await fetch(`${bound.url}/anything`, { signal: AbortSignal.timeout(5_000) });
      expect([later.status, await later.text()]).toEqual([200, 'ready']);
    } finally {
      await bound.close();
    }
  });

  it('the stack: requests fired at each port while it starts are refused (not bound yet) or answered, never left hanging', async () => {
    const ports: StackPorts = { emulator: await freePort(), authServer: await freePort(), clientApp: await freePort(), mcpServer: await freePort() };
    const statuses: Record<keyof StackPorts, number[]> = { emulator: [], authServer: [], clientApp: [], mcpServer: [] };
    let starting = true;
    const probe = async (part: keyof StackPorts) => {
      while (starting) {
        try {
          const res = await fetch(`http://127.0.0.1:${ports[part]}/healthz`, { signal: AbortSignal.timeout(5_000) });
          await res.arrayBuffer();
          if (res.status === 503) expect(res.headers.get('retry-after'), part).toBe(String(STARTING_RETRY_AFTER_S));
          statuses[part].push(res.status);
        } catch (err) {
          // Refused: the port is not open yet. Anything else (a timeout above all) is the bug.
          if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw new Error(`${part}: ${String(err)}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const probes = (Object.keys(ports) as Array<keyof StackPorts>).map(probe);
    const stack = await startStack({ parts: STACK_PARTS, ports, host: '127.0.0.1', logLevel: 'silent' }).finally(() => (starting = false));
    try {
      await Promise.all(probes);
    } finally {
      await stack.close();
    }
    for (const part of Object.keys(statuses) as Array<keyof StackPorts>) {
      expect(
        statuses[part].every((s) => s === 200 || s === 503),
        `${part}: ${statuses[part].join(' ')}`,
      ).toBe(true);
    }
    // The apps' ports open before the apps are built: the window was probed, and it answered.
    expect(statuses.authServer).toContain(503);
    expect(statuses.clientApp).toContain(503);
    expect(statuses.mcpServer).toContain(503);
  });
});
