/**
 * The conformance run, spelled out in one place:
 *
 *   1. the emulator answers, the credentials and the client are right, the relying party answers (else exit 2)
 *   2. Chromium starts
 *   3. for each scenario, in catalogue order (the ones that need the relying party to fetch the JWKS again last):
 *        skip it if it cannot apply (another project type; a refresh without --rp-refresh-text)
 *        switch the fault on for the client (for a refresh scenario: after a normal login)
 *        log in through the relying party in a fresh browser context (then press its refresh control)
 *        accepted = its success text is visible; pass = accepted exactly when a correct relying party accepts
 *        switch the fault off
 *
 * Faults are per client, so the run changes nothing for the emulator's other clients.
 */
import { scenarioByName, type FaultName, type FaultScenario } from '../emulator/index.ts';
import type { ProjectType } from '../shared/project.ts';
import { errorMessage } from '../shared/errors.ts';
import { DriveError, RpDriver, type Observation } from './browser.ts';
import { ConformanceError, FaultSwitch } from './emulator.ts';
import type { ConformanceInput } from './input.ts';

export interface ConformanceRow {
  scenario: FaultName;
  /** What a correct relying party does. */
  expected: 'accept' | 'reject';
  /** What this one did: signed the person in, did not, or the flow could not be driven (or did not apply). */
  observed: 'accepted' | 'rejected' | 'error' | 'skipped';
  result: 'pass' | 'fail' | 'skip';
  /** Where the flow ended and what the relying party said; why it was skipped; what went wrong. */
  detail: string;
  /** What a correct relying party does, and why (shown for failed rows). */
  rpMustDo: string;
  source: string;
  durationMs: number;
}

export interface ConformanceReport {
  target: { rpLoginUrl: string; emulatorUrl: string; clientId: string; projectType: ProjectType };
  rows: ConformanceRow[];
  summary: { passed: number; failed: number; skipped: number; durationMs: number };
  ok: boolean;
}

export interface RunHooks {
  /** Everything answered and the browser started: the rows follow. */
  onStart?(target: ConformanceReport['target']): void;
  onProgress?(message: string): void;
  onResult?(row: ConformanceRow): void;
  /** How the run waits for a relying party's JWKS cooldown (tests move a fake clock instead of sleeping). */
  wait?(ms: number): Promise<void>;
}

/** openid-client fetches a JWKS again for an unknown `kid` once its copy is a minute old; one second spare. */
const JWKS_REFETCH_COOLDOWN_S = 61;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describeObservation(o: Observation): string {
  return o.signedIn ? `signed in at ${o.endedAt}` : `refused at ${o.endedAt}${o.said ? `: "${o.said}"` : ''}`;
}

function skipReason(s: FaultScenario, projectType: ProjectType, input: ConformanceInput): string | undefined {
  if (s.projectTypes && !s.projectTypes.includes(projectType))
    return `applies to ${s.projectTypes.join(', ')} projects only (the emulator runs a ${projectType} project)`;
  if (s.step === 'refresh' && !input.rp.refreshText) return "a refresh scenario: pass --rp-refresh-text, the label of your app's refresh button or link";
  return undefined;
}

/** Checks that the relying party answers at all (any HTTP status will do). */
async function reachable(url: URL, timeoutMs: number): Promise<void> {
  try {
    await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new ConformanceError(
      'ERR_RP_UNREACHABLE',
      `The relying party at ${url.origin} cannot be reached (${errorMessage(err)}${cause}). Start it, or check --rp-login-url.`,
    );
  }
}

export async function runConformance(input: ConformanceInput, hooks: RunHooks = {}): Promise<ConformanceReport> {
  const started = performance.now();
  const progress = hooks.onProgress ?? (() => undefined);
  const wait = hooks.wait ?? sleep;

  // 1. Everything the run needs answers, before a browser starts.
  const faults = new FaultSwitch(input.emulator, input.clientId, input.timeoutMs);
  const { projectType } = await faults.state();
  await reachable(input.rp.loginUrl, input.timeoutMs);
  await faults.clear();

  // 2. One browser; a fresh context per scenario.
  progress('starting headless Chromium');
  const driver = await RpDriver.launch({ executablePath: input.browserPath, timeoutMs: input.timeoutMs, rp: input.rp, person: input.person });
  const target = { rpLoginUrl: input.rp.loginUrl.href, emulatorUrl: input.emulator.url, clientId: input.clientId, projectType };
  hooks.onStart?.(target);

  const scenarios = input.scenarios.map((n) => scenarioByName(n)!);
  const ordered = [...scenarios.filter((s) => !s.needsJwksRefetch), ...scenarios.filter((s) => s.needsJwksRefetch)];
  const rows: ConformanceRow[] = [];
  try {
    for (const s of ordered) {
      const rowStarted = performance.now();
      const expected = s.expected.outcome;
      const base = {
        scenario: s.name as FaultName,
        expected,
        rpMustDo: s.rpMustDo,
        source: s.conformanceModule.startsWith('(') ? s.origin : `${s.origin}: ${s.conformanceModule}`,
      };
      const finish = (row: Pick<ConformanceRow, 'observed' | 'result' | 'detail'>) => {
        const done: ConformanceRow = { ...base, ...row, durationMs: Math.round(performance.now() - rowStarted) };
        rows.push(done);
        hooks.onResult?.(done);
      };

      const skip = skipReason(s, projectType, input);
      if (skip) {
        finish({ observed: 'skipped', result: 'skip', detail: skip });
        continue;
      }
      if (s.needsJwksRefetch) {
        const { jwksLastServedAt } = await faults.state();
        const waitMs = jwksLastServedAt === undefined ? 0 : (jwksLastServedAt + JWKS_REFETCH_COOLDOWN_S) * 1000 - Date.now();
        if (waitMs > 0) {
          progress(`${s.name}: waiting ${Math.ceil(waitMs / 1000)} s, because relying parties fetch a JWKS again at most once a minute (openid-client)`);
          await wait(waitMs);
        }
      }
      const params: Record<string, number> = s.params?.token_delay_ms !== undefined ? { token_delay_ms: input.tokenDelayMs } : {};
      // The relying party answers its callback only after its token request: let a stalled one time out first.
      const settleMs = params.token_delay_ms !== undefined ? params.token_delay_ms + input.timeoutMs : input.timeoutMs;

      progress(`${s.name}: logging in through the relying party`);
      const session = await driver.session();
      try {
        let observed: Observation;
        if (s.step === 'refresh') {
          const login = await session.login(input.timeoutMs);
          if (!login.signedIn) {
            finish({ observed: 'error', result: 'fail', detail: `the login before the refresh did not sign in: ${describeObservation(login)}` });
            continue;
          }
          await faults.set(s.name as FaultName, params);
          observed = await session.refresh(settleMs);
        } else {
          await faults.set(s.name as FaultName, params);
          observed = await session.login(settleMs);
        }
        const accepted = observed.signedIn;
        finish({
          observed: accepted ? 'accepted' : 'rejected',
          result: accepted === (expected === 'accept') ? 'pass' : 'fail',
          detail: describeObservation(observed),
        });
      } catch (err) {
        if (!(err instanceof DriveError)) throw err;
        finish({ observed: 'error', result: 'fail', detail: err.message });
      } finally {
        await session.close();
        await faults.clear();
      }
    }
  } finally {
    await driver.close();
    await faults.clear().catch(() => undefined);
  }

  const count = (r: ConformanceRow['result']) => rows.filter((x) => x.result === r).length;
  const summary = { passed: count('pass'), failed: count('fail'), skipped: count('skip'), durationMs: Math.round(performance.now() - started) };
  return {
    target,
    rows,
    summary,
    ok: summary.failed === 0,
  };
}
