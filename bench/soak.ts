/**
 * The soak run (`npm run soak`): complete signed-in flows by many virtual users at once, while each server is
 * restarted once on its own data (the emulator, then the auth-server, then the client-app); then a volley of
 * malformed and hostile requests (bench/hostile.ts). What it must show:
 * - no person signed out by a restart: a virtual user's client-app session and auth-server session (so: its
 *   Stytch session in the emulator) survive every restart; losing either is counted;
 * - only flows in flight while a process restarts may fail, and each failure is counted by kind;
 * - no 5xx and no process death under hostile input.
 *
 * It runs the servers as the benchmark does (bench/systems.ts, one child process each, production mode) with
 * their databases in a temporary directory, and drives them with the benchmark's virtual users
 * (bench/client.ts, bench/flows.ts). New flows wait while a process restarts, as people would retry later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../src/shared/errors.ts';
import { BenchBrowser, FlowError, UserAgent } from './client.ts';
import { flow, names } from './flows.ts';
import { hostileRequests, sendHostile, type HostileResult } from './hostile.ts';
import type { Child } from './processes.ts';
import { startOurs, type SystemUnderTest } from './systems.ts';

export const RESTART_ORDER = ['emulator', 'auth-server', 'client-app'] as const;
export type Part = (typeof RESTART_ORDER)[number];

export interface SoakOptions {
  flows: number;
  concurrency: number;
  /** Malformed and hostile requests sent after the flows. */
  hostile: number;
  /** The processes restarted, in order, evenly spread over the run. */
  restarts: readonly Part[];
  progress?: (line: string) => void;
}

export const DEFAULT_SOAK: SoakOptions = { flows: 10_000, concurrency: 32, hostile: 10_000, restarts: RESTART_ORDER };

export interface SoakResult {
  options: Omit<SoakOptions, 'progress'>;
  durationS: number;
  completed: number;
  failed: number;
  /** Failed flows by kind: `<status> <path>` where the flow ended, or the error's first line. */
  failedByKind: Record<string, number>;
  /** The first failure of each kind, in full (up to 5 kinds). */
  failureSamples: string[];
  restarts: Array<{ part: Part; afterFlows: number; downMs: number; inFlight: number }>;
  /** Virtual users who had to log in again (their auth-server session was lost). */
  peopleLost: number;
  /** Client-app sessions that did not survive (a signed-in person found signed out). */
  sessionsLost: number;
  hostile: HostileResult;
  /** Processes that were not running at the end, or did not answer /healthz. */
  deadProcesses: string[];
}

/** What `flow` throws when the login form shows although the person was signed in at the provider. */
const HAD_TO_LOG_IN = 'expected to be signed in at the provider already';
/** Virtual users signing in at once before the run, and attempts each (the machine may be busy). */
const SIGN_IN_BATCH = 4;
const SIGN_IN_ATTEMPTS = 5;
/** Source addresses the hostile requests come from. */
const HOSTILE_SOURCES = 200;

/** The first flow of a virtual user, with its password login; retried, since it is not what is measured. */
async function signInFirst(browser: BenchBrowser, sut: SystemUnderTest): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await flow(browser, sut, true);
      return;
    } catch (err) {
      if (attempt === SIGN_IN_ATTEMPTS) throw new Error(`a virtual user could not sign in ${SIGN_IN_ATTEMPTS} times: ${errorMessage(err)}`);
    }
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'soak-'));
  const sut = await startOurs({ dataDir });
  try {
    return await soak(sut, options);
  } finally {
    await sut.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function child(sut: SystemUnderTest, part: Part): Child {
  const found = sut.children.find((c) => c.name === part);
  if (!found) throw new Error(`no ${part} process`);
  return found;
}

async function soak(sut: SystemUnderTest, options: SoakOptions): Promise<SoakResult> {
  const progress = options.progress ?? (() => {});
  const origins = names(sut);
  const rpOrigin = new URL(sut.rpUrl).origin;
  const account = `${sut.rpUrl}/account`;
  const result: SoakResult = {
    options: { flows: options.flows, concurrency: options.concurrency, hostile: options.hostile, restarts: options.restarts },
    durationS: 0,
    completed: 0,
    failed: 0,
    failedByKind: {},
    failureSamples: [],
    restarts: [],
    peopleLost: 0,
    sessionsLost: 0,
    hostile: { sent: 0, byStatus: {}, failures: [] },
    deadProcesses: [],
  };
  const fail = (err: unknown) => {
    result.failed += 1;
    const kind = err instanceof FlowError ? err.kind : (errorMessage(err).split('\n')[0] ?? '').slice(0, 120);
    result.failedByKind[kind] = (result.failedByKind[kind] ?? 0) + 1;
    if (result.failedByKind[kind] === 1 && result.failureSamples.length < 5) result.failureSamples.push(errorMessage(err).slice(0, 800));
  };

  // Restarts at evenly spaced points of the run; new flows wait at `gate` while one is under way.
  const restartAt = options.restarts.map((part, i) => ({ part, at: Math.floor(((i + 1) * options.flows) / (options.restarts.length + 1)) }));
  let gate: Promise<void> = Promise.resolve();
  let inFlight = 0;
  let started = 0;
  const restart = async (part: Part) => {
    let open = () => {};
    gate = new Promise<void>((resolve) => (open = resolve));
    const record = { part, afterFlows: result.completed + result.failed, downMs: 0, inFlight };
    progress(`restarting ${part} after ${record.afterFlows} flows (${inFlight} in flight)`);
    const t0 = performance.now();
    try {
      await child(sut, part).restart();
    } finally {
      record.downMs = Math.round(performance.now() - t0);
      result.restarts.push(record);
      open();
    }
  };

  // Every virtual user signs in at the provider first, a few at a time and outside the run, as the benchmark's
  // do: 32 password logins at once (scrypt) on a busy machine only measure the machine.
  const users = Array.from({ length: options.concurrency }, (_, i) => {
    const agent = new UserAgent(i);
    return { agent, browser: new BenchBrowser(origins, agent) };
  });
  for (let i = 0; i < users.length; i += SIGN_IN_BATCH) {
    await Promise.all(users.slice(i, i + SIGN_IN_BATCH).map((u) => signInFirst(u.browser, sut)));
  }
  progress(`${users.length} virtual users signed in`);

  const t0 = performance.now();
  try {
    await Promise.all(
      users.map(async ({ browser }) => {
        let hasSession = true;
        while (started < options.flows) {
          await gate;
          if (started >= options.flows) break;
          started += 1;
          const due = restartAt.find((r) => r.at === started);
          if (due) await restart(due.part);
          inFlight += 1;
          try {
            // The client-app session of the previous flow must still be there, restarts or not.
            if (hasSession) {
              const page = await browser.navigate(account);
              if (page.status !== 200 || !page.url.startsWith(account) || !page.body.includes(sut.credentials.login)) {
                result.sessionsLost += 1;
                progress(`session lost: ${page.status} ${page.url}`);
              }
            }
            // A new visitor at the client-app, who should still be signed in at the provider.
            hasSession = false;
            browser.forget(rpOrigin);
            browser.hops.length = 0;
            try {
              await flow(browser, sut, false);
            } catch (err) {
              if (!(err instanceof FlowError && err.message.startsWith(HAD_TO_LOG_IN))) throw err;
              result.peopleLost += 1;
              progress('person lost: had to log in again');
              await flow(browser, sut, true);
            }
            hasSession = true;
            result.completed += 1;
          } catch (err) {
            fail(err);
          } finally {
            inFlight -= 1;
          }
          const done = result.completed + result.failed;
          if (done % 1000 === 0) progress(`${done} flows (${result.failed} failed)`);
        }
      }),
    );
  } finally {
    await Promise.all(users.map((u) => u.agent.close()));
  }

  progress(`sending ${options.hostile} malformed and hostile requests`);
  // Source addresses of their own (127.0.0.x after the virtual users'), many of them.
  const attackers = Array.from({ length: HOSTILE_SOURCES }, (_, i) => new UserAgent(options.concurrency + 8 + i));
  try {
    const requests = hostileRequests(
      { authServerUrl: sut.opUrl, emulatorUrl: child(sut, 'emulator').url, clientAppUrl: sut.rpUrl, clientId: sut.clientId },
      options.hostile,
    );
    result.hostile = await sendHostile(
      requests,
      attackers.map((a) => a.dispatcher),
      16,
    );
  } finally {
    await Promise.all(attackers.map((a) => a.close()));
  }
  result.durationS = Math.round((performance.now() - t0) / 100) / 10;

  for (const c of sut.children) {
    const healthy =
      c.alive() &&
      (await fetch(`${c.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.ok,
        () => false,
      ));
    if (!healthy) result.deadProcesses.push(c.name);
  }
  return result;
}

/** The lines `npm run soak` prints, and docs/soak.md quotes. */
export function soakReport(r: SoakResult): string {
  const kinds = Object.entries(r.failedByKind).sort((a, b) => b[1] - a[1]);
  return [
    `soak: ${r.options.flows} signed-in flows at ${r.options.concurrency} concurrent, restarts: ${r.options.restarts.join(' → ') || 'none'}; ${r.options.hostile} hostile requests (${r.durationS} s)`,
    `  flows completed     ${r.completed}`,
    `  flows failed        ${r.failed}${kinds.length ? ` (${kinds.map(([k, n]) => `${n} × ${k}`).join('; ')})` : ''}`,
    ...r.restarts.map((x) => `  restart ${x.part.padEnd(11)} after ${x.afterFlows} flows, ${x.inFlight} in flight, down ${x.downMs} ms`),
    `  people lost         ${r.peopleLost} (had to log in again)`,
    `  sessions lost       ${r.sessionsLost} (client-app sessions gone)`,
    `  hostile requests    ${r.hostile.sent}: ${Object.entries(r.hostile.byStatus)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n} × ${k}`)
      .join(', ')}`,
    ...r.hostile.failures.map((f) => `    ✖ ${f.endpoint} (${f.shape}): ${f.outcome}`),
    `  processes           ${r.deadProcesses.length ? `✖ not running: ${r.deadProcesses.join(', ')}` : 'all running and healthy'}`,
  ].join('\n');
}

/** The run's verdict: no person or session lost, no 5xx, no dead process, and failures only from restarts. */
export function soakPassed(r: SoakResult): boolean {
  const maxInFlightFailures = r.restarts.reduce((sum, x) => sum + x.inFlight, 0);
  return r.peopleLost === 0 && r.sessionsLost === 0 && r.hostile.failures.length === 0 && r.deadProcesses.length === 0 && r.failed <= maxInFlightFailures;
}
