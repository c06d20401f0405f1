#!/usr/bin/env node
// `npm test`: typecheck, boundaries (dependency-cruiser), lint and format (Biome), vitest (unit + integration), the bench smoke run, Playwright (end to end), then one closing line
// `N passed, N failed` with both runners' totals added up. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = join('test-results', 'summary');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;
let ok = true;

if (run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) {
  ok = false;
  failed += 1; // the typecheck counts as one failed check
}

if (run('boundaries', 'npm', ['run', '--silent', 'check:boundaries']) !== 0) {
  ok = false;
  failed += 1; // a broken boundary rule (docs/architecture.md) counts as one failed check
}

if (run('lint', 'npm', ['run', '--silent', 'lint']) !== 0) {
  ok = false;
  failed += 1; // lint and format (Biome, biome.json) count as one failed check
}

const vitestJson = join(out, 'vitest.json');
const vitestStatus = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numTotalTestSuites > 0 && r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
} else {
  failed += 1;
}
if (vitestStatus !== 0) ok = false;

if (run('bench smoke', 'npm', ['run', '--silent', 'test:bench']) !== 0) {
  ok = false;
  failed += 1; // the benchmark's smoke run (CONTRIBUTING.md) counts as one failed check
}

const hasSpecs = existsSync('e2e') && readdirSync('e2e', { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
if (hasSpecs && !process.argv.includes('--no-e2e')) {
  const pwJson = join(out, 'playwright.json');
  const pwStatus = run('playwright', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
  } else {
    failed += 1;
  }
  if (pwStatus !== 0) ok = false;
}

if (!ok && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
