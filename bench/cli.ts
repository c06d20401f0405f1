/**
 * `npm run bench` (`npx connected-app bench`): complete authorization-code flows per second against the stack,
 * with the signing floor and the oidc-provider peer measured in the same run. See docs/performance.md.
 *
 * Exit codes: 0 when every flow succeeded, 1 when any flow failed, 2 for invalid options.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../src/shared/errors.ts';
import type { FlowKind } from './flows.ts';
import { ROOT } from './processes.ts';
import { levelTable, routeTable, stepTable } from './report.ts';
import { runBench, type BenchOptions, type BenchReport } from './run.ts';
import { optionsOrExitCode } from './usage.ts';

const HELP = `Usage: npm run bench [-- options]

Starts the emulator, the auth-server and the client-app (one process each, production mode, logs at warn)
on loopback, drives complete authorization-code flows with one cookie jar per virtual user, and does the
same against oidc-provider + an openid-client RP for comparison. Prints tables and writes JSON.
Each level stops after its duration or its flow count, whichever comes first.

Options:
  --levels LIST         concurrency levels of the signed-in kind (default 1,8,32,64)
  --fresh-levels LIST   concurrency levels of the fresh-login kind (default 1,8,32)
  --duration SECONDS    per level (default 10)
  --flows N             at most N flows per level (default 100000)
  --kinds LIST          signed-in,fresh-login (default both)
  --warmup N            unmeasured flows before the first level of each system (default 100;
                        V8 still optimises new functions thousands of flows in, in both systems:
                        a larger N, e.g. 1000, measures closer to a long-running server)
  --quick               levels 1,8, 3 s each, 20 warm-up flows, shorter references (a smoke run)
  --no-peer             skip the oidc-provider peer
  --no-startup          skip the npm start to all-healthy measurement
  --with-e2e            run the Playwright suite (npx playwright test) and time it; otherwise its
                        last HTML report (playwright-report/) is read
  --cpu-prof DIR        write a .cpuprofile per server process into DIR/<process>/;
                        summarise with: npx tsx bench/profile.ts DIR
  --node-option FLAG    a Node.js or V8 option for every server process, ours and the peer's alike
                        (repeatable; e.g. --node-option=--max-semi-space-size=32), to compare a
                        runtime setting on both systems in one run
  --out FILE            JSON output (default bench/results/<YYYY-MM-DD>.json; "-" = none)`;

const MAX_CONCURRENCY = 256;

function numbers(value: string): number[] {
  return value.split(',').map((v) => Number(v.trim()));
}

export interface CliOptions extends BenchOptions {
  out: string | undefined;
}

/** Parses and checks the options; throws with every problem at once. */
export function parseOptions(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      levels: { type: 'string' },
      'fresh-levels': { type: 'string' },
      duration: { type: 'string' },
      flows: { type: 'string' },
      kinds: { type: 'string' },
      warmup: { type: 'string' },
      'no-peer': { type: 'boolean' },
      'no-startup': { type: 'boolean' },
      'with-e2e': { type: 'boolean' },
      'cpu-prof': { type: 'string' },
      'node-option': { type: 'string', multiple: true },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const levels = values.levels ? numbers(values.levels) : quick ? [1, 8] : [1, 8, 32, 64];
  const freshLevels = values['fresh-levels'] ? numbers(values['fresh-levels']) : quick ? [1, 8] : [1, 8, 32];
  const durationS = values.duration ? Number(values.duration) : quick ? 3 : 10;
  const maxFlows = values.flows ? Number(values.flows) : 100_000;
  const warmupFlows = values.warmup ? Number(values.warmup) : quick ? 20 : 100;
  const kinds = (values.kinds ?? 'signed-in,fresh-login').split(',').map((k) => k.trim());
  const problems: string[] = [];
  for (const n of [...levels, ...freshLevels]) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) problems.push(`concurrency levels must be integers from 1 to ${MAX_CONCURRENCY} (got ${n})`);
  }
  if (!(durationS > 0 && durationS <= 600)) problems.push('--duration must be more than 0 and at most 600 seconds');
  if (!Number.isInteger(maxFlows) || maxFlows < 1) problems.push('--flows must be a positive integer');
  if (!Number.isInteger(warmupFlows) || warmupFlows < 1) problems.push('--warmup must be a positive integer');
  const nodeOptions = values['node-option'] ?? [];
  for (const o of nodeOptions) if (!/^--[a-z][\w-]*(=\S+)?$/i.test(o)) problems.push(`--node-option: "${o}" is not an option such as --max-semi-space-size=32`);
  for (const k of kinds) if (k !== 'signed-in' && k !== 'fresh-login') problems.push(`--kinds: unknown kind "${k}" (signed-in, fresh-login)`);
  if (problems.length) throw new Error(problems.join('\n'));
  const date = new Date().toISOString().slice(0, 10);
  return {
    levels,
    freshLevels,
    durationMs: durationS * 1000,
    maxFlows,
    kinds: kinds as FlowKind[],
    peer: !values['no-peer'],
    startup: !values['no-startup'],
    withE2e: values['with-e2e'] ?? false,
    cpuProfDir: values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined,
    nodeOptions,
    warmupFlows,
    signingMs: quick ? 500 : 2000,
    hashSamples: quick ? 1 : 3,
    out: values.out === '-' ? undefined : resolve(values.out ?? join(ROOT, 'bench/results', `${date}.json`)),
  };
}

function referenceLines(report: BenchReport): string[] {
  const { references: ref } = report;
  const { signing, passwordHash: hash, startup, playwright } = ref;
  const lines = [
    `Signing floor: ${signing.parallelPerSecond} RS256 signatures/s (${signing.sequentialPerSecond}/s one at a time) ÷ ${signing.signaturesPerFlow} per flow = ${signing.floorFlowsPerSecond} flows/s`,
    `Password hash (scrypt N=${hash.params.N}, r=${hash.params.r}, p=${hash.params.p}): ${hash.msPerHash} ms each` +
      (hash.emulatorCpuMsPerLogin !== undefined
        ? `; one password login costs the emulator ${hash.emulatorCpuMsPerLogin} ms of CPU (fresh-login minus signed-in, at 1 concurrent)`
        : ''),
  ];
  if (startup)
    lines.push(
      'error' in startup
        ? `npm start to all-healthy: failed (${startup.error.split('\n')[0]})`
        : `npm start to all-healthy: ${startup.msToAllHealthy} ms (empty data directory)`,
    );
  if (!playwright) lines.push('Playwright suite: no report found (run npm run test:e2e, or pass --with-e2e)');
  else if ('error' in playwright) lines.push(`Playwright suite: failed to run (${playwright.error.split('\n')[0]})`);
  else {
    lines.push(
      `Playwright suite (${playwright.source === 'measured' ? 'measured now' : `last run, ${playwright.startedAt}`}): ${playwright.wallSeconds} s for ${playwright.tests} tests ` +
        `on ${playwright.workers ?? '?'} workers: ${playwright.passed} passed, ${playwright.failed} failed, ${playwright.skipped} skipped, ${playwright.flaky} flaky`,
    );
  }
  return lines;
}

export function printReport(report: BenchReport): void {
  const { references: ref, targets: t } = report;
  console.log(`\n${levelTable([...report.results, ...(ref.peer?.results ?? [])])}`);
  for (const kind of ['signed-in', 'fresh-login'] as const) {
    const ofKind = report.results.filter((x) => x.kind === kind);
    const r = ofKind.find((x) => x.concurrency === t.concurrency) ?? ofKind.at(-1);
    if (r) console.log(`\n${stepTable(r)}`);
  }
  for (const r of [...report.results, ...(ref.peer?.results ?? [])].filter((x) => x.concurrency === 1)) console.log(`\n${routeTable(r)}`);
  const m = report.machine;
  console.log(
    [
      '',
      ...referenceLines(report),
      '',
      `Targets (signed-in, ${t.concurrency} concurrent): ${t.flowsPerSecond} flows/s ${t.atLeast200FlowsPerSecond ? '≥' : '<'} 200; p99 ${t.p99Ms} ms ${t.p99Under250Ms ? '<' : '≥'} 250; ` +
        `failed flows ${t.errorsEverywhere}; ours/peer ${t.oursOverPeer ?? 'n/a'}; signing floor ${t.signingFloorFlowsPerSecond} flows/s = ${t.floorOverOurs}× ours (target ≤ 3)`,
      `Load average: ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end (${m.cores} cores; above ~0.5 at start means other work shared the machine)`,
    ].join('\n'),
  );
  for (const r of [...report.results, ...(ref.peer?.results ?? [])]) {
    if (!r.errors) continue;
    const kinds = Object.entries(r.errorKinds)
      .map(([k, n]) => `${n} × ${k}`)
      .join('; ');
    console.log(`\nFailed flows (${r.system} ${r.kind} ×${r.concurrency}): ${kinds}`);
    for (const sample of r.errorSamples) console.log(`  first of its kind: ${sample}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  const options = optionsOrExitCode(() => parseOptions(argv), HELP);
  if (typeof options === 'number') return options;
  if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
  const { out, ...benchOptions } = options;
  let report: BenchReport;
  try {
    report = await runBench({ ...benchOptions, log: (line) => console.log(line) });
  } catch (err) {
    // A system that cannot start (a port, a --node-option node refuses): its reason, without a stack trace.
    console.error(errorMessage(err));
    return 1;
  }
  printReport(report);
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nWrote ${out}`);
  }
  if (options.cpuProfDir) console.log(`CPU profiles in ${options.cpuProfDir} (summary: npx tsx bench/profile.ts ${options.cpuProfDir})`);
  return report.targets.errorsEverywhere === 0 ? 0 : 1;
}
