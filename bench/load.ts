/**
 * The load generator: N virtual users run flows back to back until the level's duration or flow count is
 * reached (whichever comes first), then the level stops by itself. Measures each flow and each of its steps,
 * and each server process's CPU seconds and RSS over the level.
 */
import { readFileSync } from 'node:fs';
import { errorMessage } from '../src/shared/errors.ts';
import type { FlowKind } from './flows.ts';
import { virtualUser, type VirtualUser } from './flows.ts';
import { FlowError } from './client.ts';
import type { ProcessStats } from './probe.ts';
import type { SystemUnderTest } from './systems.ts';

export interface LevelOptions {
  concurrency: number;
  durationMs: number;
  /** Stop after this many flows even if time remains. */
  maxFlows: number;
}

export interface StepResult {
  step: string;
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ProcessResult {
  name: string;
  cpuSecondsPerFlow: number;
  /** Share of one core the process used over the level. */
  cpuCores: number;
  peakRssMiB: number;
  rsaSignaturesPerFlow: number;
  rsaVerificationsPerFlow: number;
  /**
   * At one flow at a time only (empty at other levels): mean CPU per request by route, over the requests that
   * had the process to themselves (all of them, at one flow at a time), with how many there were per flow.
   */
  routes: Array<{ route: string; perFlow: number; cpuMs: number; samples: number }>;
}

export interface LevelResult {
  system: SystemUnderTest['name'];
  kind: FlowKind;
  concurrency: number;
  flows: number;
  durationS: number;
  flowsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  errors: number;
  /** Failed flows by kind (`<status> <path>` where the flow ended, or the error's first line). */
  errorKinds: Record<string, number>;
  /** The first failure of each kind, in full (up to 5 kinds). */
  errorSamples: string[];
  steps: StepResult[];
  processes: ProcessResult[];
  /** CPU seconds the load generator itself used per flow (it shares the machine). */
  loadGeneratorCpuSecondsPerFlow: number;
  /**
   * Cores' worth of CPU used during the level by everything else on the machine (other people's tests, say):
   * the machine's busy time from /proc/stat minus the servers' and the load generator's. Near 0 on a quiet
   * machine; undefined where /proc/stat does not exist.
   */
  otherCpuCores: number | undefined;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function allStats(sut: SystemUnderTest): Promise<ProcessStats[]> {
  return Promise.all(sut.children.map((c) => c.stats()));
}

/** CPU seconds the whole machine has been busy (all cores, every process), from Linux's /proc/stat. */
function machineBusySeconds(): number | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s. Busy: all but idle and iowait
    // (guest time is already inside user and nice). Steal counts as busy: the capacity went to someone else.
    const ticks = fields.map(Number);
    const busy = ticks.reduce((a, b) => a + b, 0) - (ticks[3] ?? 0) - (ticks[4] ?? 0) - (ticks[8] ?? 0) - (ticks[9] ?? 0);
    return busy / 100;
  } catch {
    return undefined;
  }
}

/** Per-route requests and CPU between two snapshots of one process, most expensive per flow first. */
function routeCosts(before: ProcessStats, after: ProcessStats, flows: number): ProcessResult['routes'] {
  return Object.entries(after.routes)
    .map(([route, a]) => {
      const b = before.routes[route] ?? { requests: 0, alone: 0, cpuMicros: 0 };
      const samples = a.alone - b.alone;
      return {
        route,
        perFlow: flows ? round((a.requests - b.requests) / flows, 2) : 0,
        cpuMs: samples ? round((a.cpuMicros - b.cpuMicros) / samples / 1000, 2) : 0,
        samples,
      };
    })
    .filter((r) => r.perFlow > 0)
    .sort((x, y) => y.perFlow * y.cpuMs - x.perFlow * x.cpuMs);
}

export async function runLevel(sut: SystemUnderTest, kind: FlowKind, options: LevelOptions): Promise<LevelResult> {
  const users = Array.from({ length: options.concurrency }, (_, i) => virtualUser(sut, kind, i));
  try {
    return await measure(sut, kind, options, users);
  } finally {
    await Promise.all(users.map((u) => u.close()));
  }
}

async function measure(sut: SystemUnderTest, kind: FlowKind, options: LevelOptions, users: VirtualUser[]): Promise<LevelResult> {
  // Sign-ins of kind `signed-in` happen before the clock starts, a few at a time.
  for (let i = 0; i < users.length; i += 8) await Promise.all(users.slice(i, i + 8).map((u) => u.prepare()));

  const latencies: number[] = [];
  const steps = new Map<string, number[]>();
  const errorSamples: string[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  let started = 0;

  // CPU per route only at one flow at a time: there every request has its process to itself (see probe.ts).
  const measureRoutes = options.concurrency === 1;
  if (measureRoutes) for (const c of sut.children) c.measureRoutes(true);
  const before = await allStats(sut);
  const machineBefore = machineBusySeconds();
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + options.durationMs;

  await Promise.all(
    users.map(async (user) => {
      while (performance.now() < deadline && started < options.maxFlows) {
        started += 1;
        const flowStart = performance.now();
        try {
          const browser = await user.run();
          latencies.push(performance.now() - flowStart);
          for (const hop of browser.hops) {
            const list = steps.get(hop.step) ?? [];
            list.push(hop.ms);
            steps.set(hop.step, list);
          }
        } catch (err) {
          errors += 1;
          const kind = err instanceof FlowError ? err.kind : (errorMessage(err).split('\n')[0] ?? '').slice(0, 120);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
          if (errorKinds[kind] === 1 && errorSamples.length < 5) errorSamples.push(errorMessage(err).slice(0, 800));
        }
      }
    }),
  );

  const elapsedS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineBusySeconds();
  const after = await allStats(sut);
  if (measureRoutes) for (const c of sut.children) c.measureRoutes(false);
  const oursSeconds = after.reduce((sum, a, i) => sum + a.cpuSeconds - before[i]!.cpuSeconds, 0) + (cpu.user + cpu.system) / 1e6;
  const flows = latencies.length;
  latencies.sort((a, b) => a - b);
  const perFlow = (n: number) => (flows ? n / flows : 0);

  return {
    system: sut.name,
    kind,
    concurrency: options.concurrency,
    flows,
    durationS: round(elapsedS, 2),
    flowsPerSecond: round(flows / elapsedS),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / (flows || 1)),
    errors,
    errorKinds,
    errorSamples,
    steps: [...steps].map(([step, list]) => {
      list.sort((a, b) => a - b);
      return {
        step,
        count: list.length,
        meanMs: round(list.reduce((a, b) => a + b, 0) / list.length),
        p50Ms: round(percentile(list, 50)),
        p95Ms: round(percentile(list, 95)),
      };
    }),
    processes: sut.children.map((child, i) => {
      const b = before[i]!;
      const a = after[i]!;
      return {
        name: child.name,
        cpuSecondsPerFlow: round(perFlow(a.cpuSeconds - b.cpuSeconds), 4),
        cpuCores: round((a.cpuSeconds - b.cpuSeconds) / elapsedS, 2),
        peakRssMiB: round(a.peakRssMiB),
        rsaSignaturesPerFlow: round(perFlow(a.rsaSignatures - b.rsaSignatures), 2),
        rsaVerificationsPerFlow: round(perFlow(a.rsaVerifications - b.rsaVerifications), 2),
        routes: routeCosts(b, a, flows),
      };
    }),
    loadGeneratorCpuSecondsPerFlow: round(perFlow((cpu.user + cpu.system) / 1e6), 4),
    otherCpuCores:
      machineBefore !== undefined && machineAfter !== undefined ? round(Math.max(0, machineAfter - machineBefore - oursSeconds) / elapsedS, 2) : undefined,
  };
}
