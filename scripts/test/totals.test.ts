import { readFileSync } from 'node:fs';
import type { JSONReport } from '@playwright/test/reporter';
import type { JsonTestResults } from 'vitest/reporters';
import { describe, expect, it } from 'vitest';
import { add, closingLine, oneCheck, playwrightTotals, vitestTotals } from '../totals.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
// Real reports, trimmed: Playwright with retries: 1 (one test passes only on its retry), vitest with a skipped and a
// todo test, a file whose beforeAll throws (as a missing redis-server does) and a file that cannot import.
const playwright = fixture<JSONReport>('playwright-retries.json');
const vitest = fixture<JsonTestResults>('vitest.json');

describe('npm test totals', () => {
  it('counts a Playwright test that passed only on a retry as failed, and names it', () => {
    expect(playwrightTotals(playwright)).toEqual({
      // "passes at once", and "expected to fail" (test.fail(), which failed as it should).
      passed: 2,
      // "passes on the retry" (flaky) and "always fails".
      failed: 2,
      skipped: 1,
      flaky: ['login.spec.ts › login › passes on the retry [consumer]'],
    });
    // Playwright's own stats call the flaky test neither passed nor failed.
    expect(playwright.stats).toMatchObject({ expected: 2, unexpected: 1, flaky: 1, skipped: 1 });
  });

  it('counts an error outside any Playwright test as a failure', () => {
    expect(playwrightTotals({ suites: [], errors: [{ message: 'Error: No Chromium found' }] })).toMatchObject({ passed: 0, failed: 1 });
  });

  it('counts vitest skipped and todo tests as skipped, and a file that broke outside its tests as one failure', () => {
    expect(vitestTotals(vitest)).toEqual({ passed: 1, failed: 3, skipped: 4, flaky: [] });
  });

  it('ends with a line CI parses as "N passed, N failed", the skipped count and flaky names after it', () => {
    const all = add(oneCheck(false), vitestTotals(vitest), playwrightTotals(playwright));
    const line = closingLine(all);
    expect(line).toBe('3 passed, 6 failed, 5 skipped; flaky, so counted as failed: login.spec.ts › login › passes on the retry [consumer]');
    expect(line).toMatch(/^(\d+) passed, (\d+) failed(, (\d+) skipped)?/);
    expect(closingLine(add(oneCheck(true)))).toBe('1 passed, 0 failed, 0 skipped');
  });
});
