/** The benchmark's outputs: the printed tables and the JSON document (`bench/results/<date>.json`). */
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import type { LevelResult } from './load.ts';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started and ended (other work on the machine skews the numbers). */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
  /** 1, 5 and 15-minute load averages when the run started. */
  loadAverage: [number, number, number];
  date: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function machine(): Machine {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    loadAverageAtStart: round2(loadavg()[0]!),
    loadAverage: loadavg().map(round2) as [number, number, number],
    date: new Date().toISOString(),
  };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const SHORT: Record<string, string> = { 'client-app': 'rp', 'auth-server': 'auth', emulator: 'emu', 'peer-rp': 'rp', 'peer-op': 'op' };

/** One row per level; `other` is the cores' worth of CPU that other work on the machine used meanwhile. */
export function levelTable(results: readonly LevelResult[]): string {
  const head = `${'system'.padEnd(5)} ${'kind'.padEnd(11)} ${pad('conc', 4)} ${pad('flows', 6)} ${pad('flows/s', 8)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)} ${pad('p99 ms', 7)} ${pad('err', 4)} ${pad('other', 5)}  CPU ms/flow per process (+ load gen)  peak RSS MiB`;
  const rows = results.map((r) => {
    const cpu = r.processes.map((p) => `${SHORT[p.name] ?? p.name} ${(p.cpuSecondsPerFlow * 1000).toFixed(1)}`).join(', ');
    const rss = r.processes.map((p) => `${SHORT[p.name] ?? p.name} ${Math.round(p.peakRssMiB)}`).join(', ');
    return `${r.system.padEnd(5)} ${r.kind.padEnd(11)} ${pad(r.concurrency, 4)} ${pad(r.flows, 6)} ${pad(r.flowsPerSecond.toFixed(1), 8)} ${pad(r.p50Ms.toFixed(0), 7)} ${pad(r.p95Ms.toFixed(0), 7)} ${pad(r.p99Ms.toFixed(0), 7)} ${pad(r.errors, 4)} ${pad(r.otherCpuCores?.toFixed(2) ?? '?', 5)}  ${cpu} (+${(r.loadGeneratorCpuSecondsPerFlow * 1000).toFixed(1)})  ${rss}`;
  });
  return [head, ...rows].join('\n');
}

export function stepTable(result: LevelResult): string {
  const width = Math.max(...result.steps.map((s) => s.step.length));
  return [
    `Steps of ${result.system} ${result.kind} at ${result.concurrency} concurrent (per request; a step can occur twice per flow):`,
    `${'step'.padEnd(width)} ${pad('n', 6)} ${pad('mean ms', 8)} ${pad('p50 ms', 7)} ${pad('p95 ms', 7)}`,
    ...result.steps.map(
      (s) => `${s.step.padEnd(width)} ${pad(s.count, 6)} ${pad(s.meanMs.toFixed(1), 8)} ${pad(s.p50Ms.toFixed(1), 7)} ${pad(s.p95Ms.toFixed(1), 7)}`,
    ),
  ].join('\n');
}

/**
 * CPU per step in each process, from the requests that had their process to themselves: meaningful at one flow
 * at a time, where that is all of them. The rest of a process's CPU per flow is work outside requests (GC,
 * timers) and, at higher concurrency, contention.
 */
export function routeTable(result: LevelResult): string {
  const rows = result.processes.flatMap((p) => p.routes.map((r) => ({ process: p.name, ...r })));
  const width = Math.max(20, ...rows.map((r) => r.route.length));
  const lines = [
    `CPU per step of ${result.system} ${result.kind} at ${result.concurrency} concurrent (requests that ran alone in their process):`,
    `${'process'.padEnd(12)} ${'route'.padEnd(width)} ${pad('per flow', 8)} ${pad('CPU ms', 7)} ${pad('ms/flow', 8)} ${pad('samples', 8)}`,
  ];
  for (const p of result.processes) {
    const covered = p.routes.reduce((ms, r) => ms + r.perFlow * r.cpuMs, 0);
    for (const r of p.routes) {
      lines.push(
        `${p.name.padEnd(12)} ${r.route.padEnd(width)} ${pad(r.perFlow, 8)} ${pad(r.cpuMs.toFixed(2), 7)} ${pad((r.perFlow * r.cpuMs).toFixed(2), 8)} ${pad(r.samples, 8)}`,
      );
    }
    lines.push(
      `${p.name.padEnd(12)} ${'(sum of steps / whole process)'.padEnd(width)} ${pad('', 8)} ${pad('', 7)} ${pad(covered.toFixed(2), 8)} / ${(p.cpuSecondsPerFlow * 1000).toFixed(2)}`,
    );
  }
  return lines.join('\n');
}
