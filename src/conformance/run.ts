/**
 * The conformance run, spelled out in one place:
 *
 *   1. the emulator answers, the credentials and the client are right, the relying party answers (else exit 2)
 *   2. Chromium starts
 *   3. the baseline: one normal login, no fault. It must sign in, with --client-id, and the protected URL must
 *      then show the person signed in (else exit 2, saying what the relying party showed and what the
 *      emulator saw). Its authorization request, as the emulator saw it, gives the hygiene rows.
 *   4. for each scenario, in catalogue order (the ones that need the relying party to fetch the JWKS again last):
 *        skip it if it cannot apply (another project type; a refresh without --rp-refresh-text)
 *        not exercised if it is about a nonce and the relying party sends none
 *        switch the fault on for the client (for a refresh scenario: after a normal login)
 *        log in through the relying party in a fresh browser context (then press its refresh control)
 *        not exercised if the emulator recorded no injection of the fault (e.g. UserInfo never called), or
 *          rate-limited the row
 *        accepted = its success text is visible; where it must reject, the protected URL is visited too and
 *          must not show the person signed in
 *        pass = accepted exactly when a correct relying party accepts (and the session ended)
 *        a failed row keeps a Playwright trace and a screenshot
 *        switch the fault off
 *
 * Faults are per client, so the run changes nothing for the emulator's other clients.
 */
import { join } from 'node:path';
import { scenarioByName, type FaultName, type FaultScenario } from '../emulator/index.ts';
import type { ProjectType } from '../shared/project.ts';
import { errorMessage } from '../shared/errors.ts';
import { describePage, DriveError, RpDriver, type Artifacts, type Observation, type RpSession } from './browser.ts';
import { ConformanceError, FaultSwitch } from './emulator.ts';
import { authorizationRequest, emulatorView, otherClients, weigh } from './evidence.ts';
import { HYGIENE_RULES } from './findings.ts';
import type { ConformanceInput } from './input.ts';

export type RowResult = 'pass' | 'fail' | 'skip' | 'not-exercised';

export interface ConformanceRow {
  /** A fault scenario's name, or a hygiene finding's id (docs/faults.md, "Conformance findings"). */
  scenario: string;
  kind: 'hygiene' | 'fault';
  /** What a correct relying party does. */
  expected: 'accept' | 'reject' | 'comply';
  /** What this one did. */
  observed: 'accepted' | 'rejected' | 'complied' | 'did-not-comply' | 'error' | 'skipped' | 'not-delivered';
  result: RowResult;
  /** Where the flow ended and what the relying party said; why it was skipped or not exercised; what went wrong. */
  detail: string;
  /** The page the relying party ended on. */
  page?: Pick<Observation, 'endedAt' | 'status' | 'heading' | 'errorLine'>;
  /** After a refusal: whether the protected URL still showed the person signed in. */
  session?: 'ended' | 'kept';
  /** The emulator's 429 and 5xx answers during the row. */
  emulator: string[];
  /** A failed row's Playwright trace and screenshot. */
  artifacts?: Artifacts;
  /** What a correct relying party does, and why (shown for failed rows). */
  rpMustDo: string;
  source: string;
  durationMs: number;
}

export interface ConformanceReport {
  target: { rpLoginUrl: string; rpProtectedUrl: string; emulatorUrl: string; clientId: string; projectType: ProjectType };
  rows: ConformanceRow[];
  summary: { passed: number; failed: number; skipped: number; notExercised: number; durationMs: number };
  ok: boolean;
}

export interface RunHooks {
  /** Everything answered, the browser started and the baseline signed in: the rows follow. */
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
  return `${o.signedIn ? 'signed in' : 'refused'}: ${describePage(o)}`;
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

const sourceOf = (s: FaultScenario) => (s.conformanceModule.startsWith('(') ? s.origin : `${s.origin}: ${s.conformanceModule}`);

/**
 * One normal login with no fault. Returns the hygiene rows; throws a ConformanceError (exit 2) when the login
 * does not work, used another client, or the protected URL cannot tell a signed-in person from a stranger.
 */
async function baseline(input: ConformanceInput, driver: RpDriver, faults: FaultSwitch, artifactsDir: string): Promise<ConformanceRow[]> {
  const started = performance.now();
  const since = await faults.cursor();
  const session = await driver.session();
  const stop = async (code: 'ERR_BASELINE_FAILED' | 'ERR_WRONG_CLIENT' | 'ERR_PROTECTED_URL', message: string): Promise<never> => {
    const kept = await session.keepArtifacts(artifactsDir, '0-baseline');
    throw new ConformanceError(code, `${message}${kept ? `\n  trace: ${kept.trace}\n  screenshot: ${kept.screenshot}` : ''}`);
  };
  try {
    let login: Observation | undefined;
    let driveError: string | undefined;
    try {
      login = await session.login(input.timeoutMs);
    } catch (err) {
      if (!(err instanceof DriveError)) throw err;
      driveError = err.message;
    }
    const { events } = await faults.events(since);
    const request = authorizationRequest(events, input.clientId);
    const others = otherClients(events, input.clientId);
    if (!request && others.length) {
      return await stop(
        'ERR_WRONG_CLIENT',
        `The baseline login reached the emulator as client ${others.join(', ')}, not ${input.clientId}: faults would be switched on for a client your relying party does not use. Pass --client-id ${others[0]}.`,
      );
    }
    if (!login?.signedIn) {
      const rp = login ? `the relying party answered ${describePage(login)}` : driveError!;
      return await stop(
        'ERR_BASELINE_FAILED',
        `The baseline login (no fault) did not sign in, so no verdict would mean anything.\n  relying party: ${rp}\n  emulator: ${emulatorView(events, input.clientId)}`,
      );
    }
    if (!request) {
      return await stop(
        'ERR_BASELINE_FAILED',
        `The baseline login signed in, but no authorization request of client ${input.clientId} reached the emulator at ${input.emulator.url}: your relying party uses another provider. Point it at this emulator (its issuer), or pass --emulator-url.`,
      );
    }
    const after = await session.visitProtected();
    if (!after.signedIn) {
      return await stop(
        'ERR_PROTECTED_URL',
        `After the baseline login, ${input.rp.protectedUrl.href} does not show "${input.rp.successText}" (${describePage(after)}): the run could not tell whether a refusal ends the session. Pass --rp-protected-url, a page that shows the success text to a signed-in person only.`,
      );
    }
    const durationMs = Math.round(performance.now() - started);
    return HYGIENE_RULES.map((rule) => {
      const holds = rule.holds(request);
      return {
        scenario: rule.id,
        kind: 'hygiene',
        expected: 'comply',
        observed: holds ? 'complied' : 'did-not-comply',
        result: holds ? 'pass' : 'fail',
        detail: rule.seen(request),
        emulator: [],
        rpMustDo: rule.rpMustDo,
        source: rule.source,
        durationMs,
      } satisfies ConformanceRow;
    });
  } finally {
    await session.close();
  }
}

export async function runConformance(input: ConformanceInput, hooks: RunHooks = {}): Promise<ConformanceReport> {
  const started = performance.now();
  const progress = hooks.onProgress ?? (() => undefined);
  const wait = hooks.wait ?? sleep;
  const artifactsDir = join(input.artifactsDir, new Date().toISOString().replace(/[:.]/g, '-'));

  // 1. Everything the run needs answers, before a browser starts.
  const faults = new FaultSwitch(input.emulator, input.clientId, input.timeoutMs);
  const { projectType } = await faults.state();
  await reachable(input.rp.loginUrl, input.timeoutMs);
  await faults.clear();

  // 2. One browser; a fresh context per scenario.
  progress('starting headless Chromium');
  const driver = await RpDriver.launch({ executablePath: input.browserPath, timeoutMs: input.timeoutMs, rp: input.rp, person: input.person });
  const target = {
    rpLoginUrl: input.rp.loginUrl.href,
    rpProtectedUrl: input.rp.protectedUrl.href,
    emulatorUrl: input.emulator.url,
    clientId: input.clientId,
    projectType,
  };
  const rows: ConformanceRow[] = [];
  const report = (row: ConformanceRow) => {
    rows.push(row);
    hooks.onResult?.(row);
  };

  try {
    // 3. The baseline, and the hygiene rows from it.
    progress('baseline: a normal login, no fault');
    const hygiene = await baseline(input, driver, faults, artifactsDir);
    hooks.onStart?.(target);
    for (const row of hygiene) report(row);
    const nonceSent = hygiene.find((r) => r.scenario === 'rp-sends-nonce')?.result === 'pass';

    // 4. The scenarios.
    const scenarios = input.scenarios.map((n) => scenarioByName(n)!);
    const ordered = [...scenarios.filter((s) => !s.needsJwksRefetch), ...scenarios.filter((s) => s.needsJwksRefetch)];
    for (const [index, s] of ordered.entries()) {
      const rowStarted = performance.now();
      const expected = s.expected.outcome;
      const finish = (row: Pick<ConformanceRow, 'observed' | 'result' | 'detail'> & Partial<ConformanceRow>) =>
        report({
          scenario: s.name,
          kind: 'fault',
          expected,
          emulator: [],
          rpMustDo: s.rpMustDo,
          source: sourceOf(s),
          ...row,
          durationMs: Math.round(performance.now() - rowStarted),
        });

      const skip = skipReason(s, projectType, input);
      if (skip) {
        finish({ observed: 'skipped', result: 'skip', detail: skip });
        continue;
      }
      if (s.needsNonce && !nonceSent) {
        finish({
          observed: 'not-delivered',
          result: 'not-exercised',
          detail: 'the relying party sends no nonce (see rp-sends-nonce), so there is none to tamper with',
        });
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
      const since = await faults.cursor();
      try {
        const row = await exercise(s, session, faults, { settleMs, params, expected });
        const { events } = await faults.events(since);
        const { trouble, notExercised } = weigh(s, row.observed !== 'error', events, input.clientId);
        if (notExercised) {
          finish({
            ...row,
            ...(notExercised.undelivered ? { observed: 'not-delivered' } : {}),
            result: 'not-exercised',
            detail: `${notExercised.reason} (the relying party: ${row.detail})`,
            emulator: trouble,
          });
          continue;
        }
        const artifacts = row.result === 'fail' ? await session.keepArtifacts(artifactsDir, `${index + 1}-${s.name}`) : undefined;
        finish({ ...row, emulator: trouble, ...(artifacts ? { artifacts } : {}) });
      } finally {
        await session.close();
        await faults.clear();
      }
    }
  } finally {
    await driver.close();
    await faults.clear().catch(() => undefined);
  }

  const count = (r: RowResult) => rows.filter((x) => x.result === r).length;
  const summary = {
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    notExercised: count('not-exercised'),
    durationMs: Math.round(performance.now() - started),
  };
  return { target, rows, summary, ok: summary.failed === 0 };
}

/** One row in its browser session: the fault on, the flow, the verdict, and for a refusal the session check. */
async function exercise(
  s: FaultScenario,
  session: RpSession,
  faults: FaultSwitch,
  opts: { settleMs: number; params: Record<string, number>; expected: 'accept' | 'reject' },
): Promise<Pick<ConformanceRow, 'observed' | 'result' | 'detail' | 'page' | 'session'>> {
  try {
    let observed: Observation;
    if (s.step === 'refresh') {
      const login = await session.login(opts.settleMs);
      if (!login.signedIn) return { observed: 'error', result: 'fail', detail: `the login before the refresh did not sign in: ${describeObservation(login)}` };
      await faults.set(s.name as FaultName, opts.params);
      observed = await session.refresh(opts.settleMs);
    } else {
      await faults.set(s.name as FaultName, opts.params);
      observed = await session.login(opts.settleMs);
    }
    const page = { endedAt: observed.endedAt, status: observed.status, heading: observed.heading, errorLine: observed.errorLine };
    const accepted = observed.signedIn;
    if (accepted || opts.expected === 'accept') {
      return {
        observed: accepted ? 'accepted' : 'rejected',
        result: accepted === (opts.expected === 'accept') ? 'pass' : 'fail',
        detail: describeObservation(observed),
        page,
      };
    }
    // Refused: a correct relying party also ends (or never starts) the session.
    const after = await session.visitProtected();
    if (after.signedIn) {
      return {
        observed: 'rejected',
        result: 'fail',
        session: 'kept',
        page,
        detail: `${describeObservation(observed)}; SESSION KEPT: ${after.endedAt} still shows the person signed in`,
      };
    }
    return { observed: 'rejected', result: 'pass', session: 'ended', page, detail: describeObservation(observed) };
  } catch (err) {
    if (!(err instanceof DriveError)) throw err;
    return { observed: 'error', result: 'fail', detail: err.message };
  }
}
