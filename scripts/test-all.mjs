#!/usr/bin/env node
// `npm test`: the prerequisites (Node.js version, a Chromium, redis-server), then typecheck, boundaries
// (dependency-cruiser), lint and format (Biome), vitest (unit + integration), the bench smoke run, Playwright (end
// to end), and one closing line `N passed, N failed, N skipped` with every runner's totals added up
// (scripts/totals.ts). Exits non-zero if anything failed. `--preflight`: the prerequisites only. `--no-e2e`:
// without Playwright.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { chromiumProblem, nodeVersionProblem, redisServerProblem } = await import('../src/cli/prerequisites.ts');
const { add, closingLine, oneCheck, playwrightTotals, vitestTotals } = await import('./totals.ts');

// Before anything runs: minutes of tests must not end in "no browser".
const problems = [nodeVersionProblem(), chromiumProblem(), redisServerProblem()].filter(Boolean);
for (const problem of problems) console.error(`npm test: ${problem}`);
if (problems.length) process.exit(1);
if (process.argv.includes('--preflight')) process.exit(0);

const out = join('test-results', 'summary');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** A runner's totals from its JSON report; a runner that left no report counts as one failure. */
function totalsFrom(file, read, status) {
  if (!existsSync(file)) return oneCheck(false);
  const totals = read(JSON.parse(readFileSync(file, 'utf8')));
  // A non-zero exit with every test green (an unhandled error between tests, say) is still a failure.
  return status !== 0 && totals.failed === 0 ? add(totals, oneCheck(false)) : totals;
}

const results = [
  oneCheck(run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) === 0),
  // A broken boundary rule (docs/architecture.md) counts as one failed check.
  oneCheck(run('boundaries', 'npm', ['run', '--silent', 'check:boundaries']) === 0),
  // Lint and format (Biome, biome.json): one check.
  oneCheck(run('lint', 'npm', ['run', '--silent', 'lint']) === 0),
];

const vitestJson = join(out, 'vitest.json');
const vitestStatus = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
results.push(totalsFrom(vitestJson, vitestTotals, vitestStatus));

// The benchmark's smoke run, outside the unit suite (CONTRIBUTING.md): its tests count like the others.
const benchJson = join(out, 'bench.json');
const benchStatus = run('bench smoke', 'npx', [
  'vitest',
  'run',
  '--config',
  'bench/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${benchJson}`,
]);
results.push(totalsFrom(benchJson, vitestTotals, benchStatus));

const hasSpecs = existsSync('e2e') && readdirSync('e2e', { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
if (hasSpecs && !process.argv.includes('--no-e2e')) {
  const pwJson = join(out, 'playwright.json');
  const pwStatus = run('playwright', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  results.push(totalsFrom(pwJson, playwrightTotals, pwStatus));
}

const totals = add(...results);
console.log(`\n${closingLine(totals)}`);
process.exit(totals.failed === 0 ? 0 : 1);
