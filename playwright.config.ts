/**
 * End-to-end tests: Debian Chromium drives the real stack (emulator → auth-server → client-app), which each
 * worker boots in-process on free ports (see e2e/fixtures.ts). `npm run test:e2e`; against your own Stytch
 * project: `E2E_STYTCH=1 npm run test:e2e` (README, "Run the end-to-end tests against your project").
 */
import { existsSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import { loadDotEnv } from './src/shared/config.ts';
import type { StackOptions } from './e2e/fixtures.ts';
import { againstStytch as readSwitch, missingStytchVariables, skipReason } from './e2e/stytch-env.ts';

const againstStytch = readSwitch();

/**
 * Debian's Chromium. Its headless shell (`apt-get install chromium-headless-shell`, what Playwright itself runs
 * headless) needs 2.5 times less CPU per browser context than the full browser, so it is used when installed.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
if (againstStytch) {
  loadDotEnv();
  const missing = missingStytchVariables(process.env.STYTCH_PROJECT_TYPE === 'b2b' ? 'b2b' : 'consumer');
  // Said once, by the runner (workers load this file too); each skipped test carries the same reason.
  if (missing.length > 0 && process.env.TEST_WORKER_INDEX === undefined) console.warn(`\n${skipReason(missing)} Every test is skipped.\n`);
}

// Every spec runs against a Consumer stack; the flows tagged @b2b run against a B2B stack as well.
const emulatorProjects: Project<StackOptions>[] = [
  { name: 'consumer', use: { projectType: 'consumer' } },
  { name: 'b2b', grep: /@b2b/, use: { projectType: 'b2b' } },
];
// Your own project: the same specs; the fixture skips them all, saying what is missing, without credentials.
const stytchProjects: Project<StackOptions>[] = [
  { name: 'stytch', use: { projectType: process.env.STYTCH_PROJECT_TYPE === 'b2b' ? 'b2b' : 'consumer', againstStytch: true } },
];

export default defineConfig<StackOptions>({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: true,
  // Two cores: each worker runs Chromium and its own stack. Your own project registers fixed URLs
  // (Authorization URL, redirect URLs), so there a single worker owns ports 3000 and 3001.
  workers: againstStytch ? 1 : process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  outputDir: 'test-results/e2e',
  reporter: [
    ['list'],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
    // `npm test` (scripts/test-all.mjs) reads the totals from this file.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['json'] as ['json']] : []),
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      // Debian's Chromium; Playwright downloads no browser on these machines.
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // Debian ships the full browser, whose headless mode builds the omnibox popups (WebUI renderers) for every
        // new context: a quarter of the CPU a context costs. Tests never use the address bar.
        '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
  projects: againstStytch ? stytchProjects : emulatorProjects,
});
