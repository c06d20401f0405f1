/**
 * One benchmark run, in this order:
 *
 *   references (RS256 signing rate, one password hash, npm start to all-healthy)
 *   → ours: emulator + auth-server + client-app, warm-up, then each level of each kind of flow
 *   → the peer: oidc-provider + openid-client RP, warm-up, then each level of the signed-in kind
 *   → the Playwright suite (measured with --with-e2e, otherwise read from its last report)
 *   → the targets of issue 8 checked against the numbers.
 *
 * Everything is bounded: each level stops after its duration or flow count, each request after 30 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../src/shared/errors.ts';
import type { FlowKind } from './flows.ts';
import { runLevel, type LevelResult } from './load.ts';
import { lastPlaywrightRun, measurePlaywright, type PlaywrightRun } from './playwright.ts';
import { measurePasswordHash, measureSigning, measureStartup, type SigningReference } from './references.ts';
import { machine, type Machine } from './report.ts';
import { startOurs, startPeer, type SystemUnderTest } from './systems.ts';

export interface BenchOptions {
  levels: number[];
  /** Levels of the fresh-login kind (each flow pays a password hash, so fewer flows fit). */
  freshLevels: number[];
  durationMs: number;
  maxFlows: number;
  kinds: FlowKind[];
  peer: boolean;
  startup: boolean;
  /** Run the Playwright suite and time it (otherwise its last HTML report is read). */
  withE2e: boolean;
  cpuProfDir?: string | undefined;
  /** Node.js or V8 options given to every server process, ours and the peer's (a fair A/B of a runtime setting). */
  nodeOptions?: string[] | undefined;
  /** Flows run before the first level of each system, unmeasured (JIT, connection pools, caches). */
  warmupFlows: number;
  /** How long the signing rate is measured, each way (one at a time, and in parallel). */
  signingMs: number;
  /** Password hashes timed (the median is reported). */
  hashSamples: number;
  log?: ((line: string) => void) | undefined;
}

/** The level the targets are checked at: kind signed-in at 32 concurrent (or the nearest level run). */
export const TARGET_CONCURRENCY = 32;

export interface Targets {
  concurrency: number;
  flowsPerSecond: number;
  p99Ms: number;
  /** Failed flows over every level of every system (the benchmark exits with 1 unless 0). */
  errorsEverywhere: number;
  atLeast200FlowsPerSecond: boolean;
  p99Under250Ms: boolean;
  zeroErrors: boolean;
  peerFlowsPerSecond?: number | undefined;
  oursOverPeer?: number | undefined;
  atLeastPeer?: boolean | undefined;
  signaturesPerFlow: number;
  signingFloorFlowsPerSecond: number;
  /** Floor divided by ours: at most 3 meets the target. */
  floorOverOurs: number;
  within3xOfSigningFloor: boolean;
}

export interface BenchReport {
  machine: Machine;
  options: Omit<BenchOptions, 'log'>;
  results: LevelResult[];
  references: {
    signing: SigningReference & { signaturesPerFlow: number; floorFlowsPerSecond: number; note: string };
    passwordHash: Awaited<ReturnType<typeof measurePasswordHash>> & {
      /** Emulator CPU per flow of kind fresh-login minus kind signed-in (at concurrency 1): what one login costs. */
      emulatorCpuMsPerLogin?: number | undefined;
    };
    peer?: { description: string; results: LevelResult[] } | undefined;
    startup?: { msToAllHealthy: number; freshDataDir: true } | { error: string } | undefined;
    playwright?: PlaywrightRun | { error: string } | undefined;
  };
  targets: Targets;
}

const PEER_DESCRIPTION =
  'oidc-provider 9 (devInteractions: a login form that checks no password, and a consent form; PKCE required; RS256 ID token, opaque access token) ' +
  '+ an express/express-session (memory store)/openid-client 6 RP (PKCE, state, nonce, client_secret_basic; the ID token claims checked, its signature not, ' +
  "which is openid-client's default for token endpoint responses; no UserInfo call). Kind signed-in: signed in at the OP once per virtual user; " +
  'prompt=consent, so that the consent form shows in every flow, as ours does.';

async function drive(sut: SystemUnderTest, options: BenchOptions, kinds: FlowKind[]): Promise<LevelResult[]> {
  const log = options.log ?? (() => undefined);
  const warmup = await runLevel(sut, 'signed-in', { concurrency: 4, durationMs: 60_000, maxFlows: options.warmupFlows });
  if (warmup.errors) log(`  warm-up: ${warmup.errors} of ${warmup.flows + warmup.errors} flows failed: ${Object.keys(warmup.errorKinds).join('; ')}`);
  const results: LevelResult[] = [];
  for (const kind of kinds) {
    for (const concurrency of kind === 'fresh-login' ? options.freshLevels : options.levels) {
      const result = await runLevel(sut, kind, { concurrency, durationMs: options.durationMs, maxFlows: options.maxFlows });
      log(`  ${sut.name} ${kind} ×${concurrency}: ${result.flowsPerSecond} flows/s, p99 ${result.p99Ms} ms, ${result.errors} errors`);
      results.push(result);
    }
  }
  return results;
}

async function withSystem<T>(start: () => Promise<SystemUnderTest>, use: (sut: SystemUnderTest) => Promise<T>): Promise<T> {
  const sut = await start();
  try {
    return await use(sut);
  } finally {
    await sut.close();
  }
}

/** A reference that failed is reported as such; it does not throw away the rest of the run. */
async function attempt<T>(what: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (err) {
    log(`  ${what} failed: ${errorMessage(err)}`);
    return { error: errorMessage(err) };
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { log: logOption, ...recorded } = options;
  const log = logOption ?? (() => undefined);
  const m = machine();
  log(`Machine: ${m.cores} × ${m.cpuModel}, load average ${m.loadAverage.join(' ')} (1, 5, 15 min)`);
  const { cpuProfDir, nodeOptions } = options;
  if (nodeOptions?.length) log(`Every server process runs with ${nodeOptions.join(' ')}`);

  log('References: RS256 signing, password hash, npm start…');
  const signing = await measureSigning(options.signingMs);
  const passwordHash = await measurePasswordHash(options.hashSamples);
  const startup = options.startup ? await attempt('npm start', log, measureStartup) : undefined;
  if (startup && 'msToAllHealthy' in startup) log(`  npm start to all-healthy: ${startup.msToAllHealthy} ms`);

  log('Ours (emulator + auth-server + client-app, one process each):');
  // Data on disk, as `npm start` keeps it: in memory, every session, grant and token of the run would stay in each
  // process's RSS (the client-app's sessions alone grew it by ~80 MiB over a full run).
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
  const ours = await withSystem(
    () => startOurs({ cpuProfDir, nodeOptions, dataDir }),
    (sut) => drive(sut, options, options.kinds),
  ).finally(() => rmSync(dataDir, { recursive: true, force: true }));
  let peer: LevelResult[] | undefined;
  if (options.peer) {
    log('Peer (oidc-provider dev interactions + express/openid-client RP, one process each):');
    // The peer's login form checks no password, so only the signed-in kind compares like with like.
    peer = await withSystem(
      () => startPeer({ cpuProfDir, nodeOptions }),
      (sut) => drive(sut, options, ['signed-in']),
    );
  }
  let playwright: BenchReport['references']['playwright'];
  if (options.withE2e) {
    log('Playwright suite (npx playwright test)…');
    playwright = await attempt('npx playwright test', log, () => measurePlaywright(log));
  } else {
    playwright = lastPlaywrightRun();
  }
  m.loadAverageAtEnd = Math.round(loadavg()[0]! * 100) / 100;

  const signedIn = ours.filter((r) => r.kind === 'signed-in');
  const at = signedIn.reduce<LevelResult | undefined>(
    (best, r) => (!best || Math.abs(r.concurrency - TARGET_CONCURRENCY) < Math.abs(best.concurrency - TARGET_CONCURRENCY) ? r : best),
    undefined,
  );
  const peerAt = peer?.find((r) => r.concurrency === at?.concurrency);
  const signaturesPerFlow = at ? Math.round(at.processes.reduce((n, p) => n + p.rsaSignaturesPerFlow, 0) * 100) / 100 : 0;
  const floor = signaturesPerFlow ? Math.round(signing.parallelPerSecond / signaturesPerFlow) : 0;
  const fresh = ours.find((r) => r.kind === 'fresh-login' && r.concurrency === 1);
  const signedInOne = signedIn.find((r) => r.concurrency === 1);
  const emulatorCpu = (r: LevelResult | undefined) => r?.processes.find((p) => p.name === 'emulator')?.cpuSecondsPerFlow;
  const freshCpu = emulatorCpu(fresh);
  const signedInCpu = emulatorCpu(signedInOne);
  const flowsPerSecond = at?.flowsPerSecond ?? 0;

  return {
    machine: m,
    options: recorded,
    results: ours,
    references: {
      signing: {
        ...signing,
        signaturesPerFlow,
        floorFlowsPerSecond: floor,
        note: `RSA signatures counted in every process of ours (WebCrypto sign calls) at the signed-in level nearest ${TARGET_CONCURRENCY}; floor = parallelPerSecond / signaturesPerFlow.`,
      },
      passwordHash: {
        ...passwordHash,
        emulatorCpuMsPerLogin: freshCpu !== undefined && signedInCpu !== undefined ? Math.round((freshCpu - signedInCpu) * 1000) : undefined,
      },
      peer: peer ? { description: PEER_DESCRIPTION, results: peer } : undefined,
      startup,
      playwright,
    },
    targets: {
      concurrency: at?.concurrency ?? 0,
      flowsPerSecond,
      p99Ms: at?.p99Ms ?? 0,
      errorsEverywhere: [...ours, ...(peer ?? [])].reduce((n, r) => n + r.errors, 0),
      atLeast200FlowsPerSecond: flowsPerSecond >= 200,
      p99Under250Ms: at !== undefined && at.p99Ms < 250,
      zeroErrors: ours.every((r) => r.errors === 0),
      peerFlowsPerSecond: peerAt?.flowsPerSecond,
      oursOverPeer: peerAt ? Math.round((flowsPerSecond / peerAt.flowsPerSecond) * 100) / 100 : undefined,
      atLeastPeer: peerAt ? flowsPerSecond >= peerAt.flowsPerSecond : undefined,
      signaturesPerFlow,
      signingFloorFlowsPerSecond: floor,
      floorOverOurs: flowsPerSecond ? Math.round((floor / flowsPerSecond) * 100) / 100 : 0,
      within3xOfSigningFloor: flowsPerSecond > 0 && floor / flowsPerSecond <= 3,
    },
  };
}
