/**
 * Smoke test of `npx connected-app bench`: the real command, in a child process, with a handful of flows at one
 * and two concurrent flows, both kinds, and the peer. Checks that every flow succeeded and that the JSON has
 * the documented shape. No timing is asserted: the numbers depend on the machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SCRYPT_DEFAULTS } from '../../src/emulator/index.ts';
import { stepPath } from '../client.ts';
import { ROOT } from '../processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/connected-app.js'), 'bench', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

const level = expect.objectContaining({
  concurrency: expect.any(Number),
  flowsPerSecond: expect.any(Number),
  p50Ms: expect.any(Number),
  p95Ms: expect.any(Number),
  p99Ms: expect.any(Number),
  errors: 0,
});

test('a tiny run completes every flow and writes the documented JSON', { timeout: 90_000 }, async () => {
  const out = join(dir, 'result.json');
  const { code, output } = await bench(['--quick', '--levels', '1,2', '--fresh-levels', '1', '--flows', '3', '--warmup', '2', '--no-startup', '--out', out]);
  expect(code, output).toBe(0);

  const report = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & {
    results: Array<Record<string, unknown>>;
    references: Record<string, unknown> & { peer: { results: unknown[] } };
  };
  expect(report.machine).toEqual(expect.objectContaining({ cores: expect.any(Number), loadAverageAtStart: expect.any(Number), node: process.version }));
  expect(report.results.map((r) => [r.system, r.kind, r.concurrency])).toEqual([
    ['ours', 'signed-in', 1],
    ['ours', 'signed-in', 2],
    ['ours', 'fresh-login', 1],
  ]);
  for (const r of report.results) {
    expect(r).toEqual(level);
    expect(r.flows).toBe(3);
    expect((r.processes as Array<{ name: string }>).map((p) => p.name)).toEqual(['client-app', 'auth-server', 'emulator']);
  }
  expect(report.references.peer.results).toEqual([level, level]);
  // Regression: the peer's per-interaction URLs were one step each (a 4 MB results file); one step per request kind.
  for (const r of report.references.peer.results as Array<{ steps: Array<{ step: string }> }>) {
    expect(r.steps.map((s) => s.step)).toContain('peer-op GET /interaction/:id');
    expect(r.steps.length).toBeLessThan(12);
  }
  expect(report.references.signing).toEqual(
    expect.objectContaining({
      algorithm: 'RS256',
      parallelPerSecond: expect.any(Number),
      signaturesPerFlow: expect.any(Number),
      floorFlowsPerSecond: expect.any(Number),
    }),
  );
  expect(report.references.passwordHash).toEqual(expect.objectContaining({ msPerHash: expect.any(Number), params: SCRYPT_DEFAULTS }));
  expect(report.targets).toEqual(expect.objectContaining({ errorsEverywhere: 0, zeroErrors: true }));
});

test('invalid options exit with 2 and say what is wrong', async () => {
  const { code, output } = await bench(['--levels', '0', '--kinds', 'sideways', '--node-option', 'max-semi-space-size=32']);
  expect(code).toBe(2);
  expect(output).toContain('concurrency levels must be integers from 1 to 256 (got 0)');
  expect(output).toContain('--kinds: unknown kind "sideways"');
  expect(output).toContain('--node-option: "max-semi-space-size=32" is not an option');
});

test('a --node-option reaches the server processes: one that node refuses ends the run with its reason', async () => {
  const { code, output } = await bench([
    '--quick',
    '--levels',
    '1',
    '--kinds',
    'signed-in',
    '--flows',
    '1',
    '--warmup',
    '1',
    '--no-peer',
    '--no-startup',
    '--out',
    '-',
    '--node-option=--no-such-node-option',
  ]);
  expect(code, output).toBe(1);
  expect(output).toContain('Every server process runs with --no-such-node-option');
  expect(output).toContain('emulator exited:');
  expect(output).toContain('bad option: --no-such-node-option');
  expect(output).not.toMatch(/^\s+at /m);
});

test('step names fold per-request identifiers, not words', () => {
  expect(stepPath('/interaction/udzsKPSlW4-wLhPCshIy0_bx-WKdznrhp5C7Rqc4AWE')).toBe('/interaction/:id');
  expect(stepPath('/auth/udzsKPSlW4-wLhPCshIy0_bx-WKdznrhp5C7Rqc4AWE/login')).toBe('/auth/:id/login');
  expect(stepPath('/auth/SxiKEFbqqOZvTXjuo-ewRiqPPfuUTmYgUHRkpKnIXTn')).toBe('/auth/:id');
  expect(stepPath('/.well-known/openid-configuration')).toBe('/.well-known/openid-configuration');
  expect(stepPath('/oauth/authorize/submit')).toBe('/oauth/authorize/submit');
});
