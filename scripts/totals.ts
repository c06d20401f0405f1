/**
 * The totals of `npm test` (scripts/test-all.mjs), read from each runner's JSON report: every test counted once as
 * passed, failed or skipped, and the closing line CI reads, `N passed, N failed, N skipped`.
 *
 * Honest by construction: a test that passed only on a retry (Playwright's "flaky") is a failure and is named; a
 * test file or runner that broke outside any test (an import error, a failing `beforeAll`, a crashed worker)
 * counts as one failure; skipped and todo tests are counted, not dropped.
 */
import type { JSONReport, JSONReportSuite, JSONReportTest } from '@playwright/test/reporter';
import type { JsonTestResults } from 'vitest/reporters';

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  /** Tests that failed first and passed on a retry; already counted in `failed`. */
  flaky: string[];
}

const NONE: Totals = { passed: 0, failed: 0, skipped: 0, flaky: [] };

export function add(...all: Totals[]): Totals {
  return all.reduce(
    (sum, t) => ({
      passed: sum.passed + t.passed,
      failed: sum.failed + t.failed,
      skipped: sum.skipped + t.skipped,
      flaky: [...sum.flaky, ...t.flaky],
    }),
    NONE,
  );
}

/** A check that is not made of tests (the typecheck), or a runner that left no report: one pass or one failure. */
export function oneCheck(ok: boolean): Totals {
  return { ...NONE, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

export function vitestTotals(report: Pick<JsonTestResults, 'testResults'>): Totals {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of report.testResults) {
    let failedHere = 0;
    for (const test of file.assertionResults) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failedHere += 1;
      // skipped, todo, disabled, and pending (never finished): not a pass.
      else skipped += 1;
    }
    // A file that failed with no failed test broke outside them (import, beforeAll, afterAll): one failure.
    failed += file.status === 'failed' ? Math.max(failedHere, 1) : failedHere;
  }
  return { passed, failed, skipped, flaky: [] };
}

function* testsOf(suite: JSONReportSuite, titles: string[]): Generator<{ name: string; test: JSONReportTest }> {
  const path = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs) {
    for (const test of spec.tests) yield { name: `${[...path, spec.title].join(' › ')} [${test.projectName}]`, test };
  }
  for (const child of suite.suites ?? []) yield* testsOf(child, path);
}

export function playwrightTotals(report: Pick<JSONReport, 'suites' | 'errors'>): Totals {
  const totals: Totals = { ...NONE, flaky: [] };
  for (const suite of report.suites) {
    for (const { name, test } of testsOf(suite, [])) {
      // "expected": as expected on the first try (a retry runs only after a failure; `test.fail()` expects one).
      if (test.status === 'expected') totals.passed += 1;
      else if (test.status === 'skipped') totals.skipped += 1;
      else {
        totals.failed += 1;
        if (test.status === 'flaky') totals.flaky.push(name);
      }
    }
  }
  // Errors outside any test: the config failed to load, a worker crashed, a global setup threw.
  totals.failed += report.errors.length;
  return totals;
}

/** The last line of `npm test`, `N passed, N failed, N skipped`; flaky tests are named after the counts. */
export function closingLine(t: Totals): string {
  const counts = `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
  return t.flaky.length ? `${counts}; flaky, so counted as failed: ${t.flaky.join('; ')}` : counts;
}
