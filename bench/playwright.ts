/**
 * The Playwright suite's wall time, so that the harness is seen to stay fast as specs are added. Either measured
 * (`--with-e2e`: runs `npx playwright test` once, after the load levels, with a JSON reporter into a temporary
 * file, so the HTML report of the last run is left as it was) or read from the last run's HTML report
 * (`playwright-report/index.html`, which embeds its data as a zip).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ROOT } from './processes.ts';

export interface PlaywrightRun {
  source: 'measured' | 'last-html-report';
  /** Wall time of the whole run (start-up of the runner and the workers' stacks included when measured). */
  wallSeconds: number;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  workers: number | undefined;
  startedAt: string;
}

/** The suite must not hold the benchmark forever. */
const E2E_TIMEOUT_MS = 30 * 60_000;

interface JsonReport {
  config?: { metadata?: { actualWorkers?: number }; workers?: number };
  stats: { startTime: string; duration: number; expected: number; unexpected: number; skipped: number; flaky: number };
}

/** Runs `npx playwright test` (the whole suite, as `npm run test:e2e` does) and times it. */
export async function measurePlaywright(log: (line: string) => void = () => undefined): Promise<PlaywrightRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  const file = join(dir, 'report.json');
  const startedAt = new Date().toISOString();
  const started = performance.now();
  try {
    const child = spawn('npx', ['playwright', 'test', '--reporter=dot,json'], {
      cwd: ROOT,
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      log(`  Playwright did not finish within ${E2E_TIMEOUT_MS / 60_000} min: stopped`);
      child.kill('SIGTERM');
    }, E2E_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearTimeout(timer);
    const wallSeconds = Math.round((performance.now() - started) / 100) / 10;
    if (!existsSync(file)) throw new Error(`npx playwright test wrote no report (exit code ${code}):\n${output}`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
    return { source: 'measured', wallSeconds, ...counts(report.stats), workers: report.config?.metadata?.actualWorkers ?? report.config?.workers, startedAt };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function counts(stats: {
  expected: number;
  unexpected: number;
  skipped: number;
  flaky: number;
}): Pick<PlaywrightRun, 'tests' | 'passed' | 'failed' | 'skipped' | 'flaky'> {
  return {
    tests: stats.expected + stats.unexpected + stats.skipped + stats.flaky,
    passed: stats.expected,
    failed: stats.unexpected,
    skipped: stats.skipped,
    flaky: stats.flaky,
  };
}

/** The last run's wall time and counts, from its HTML report; undefined when there is none. */
export function lastPlaywrightRun(reportDir = join(ROOT, 'playwright-report')): PlaywrightRun | undefined {
  const file = join(reportDir, 'index.html');
  if (!existsSync(file)) return undefined;
  const match = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(readFileSync(file, 'utf8'));
  if (!match?.[1]) return undefined;
  const json = readZipEntry(Buffer.from(match[1], 'base64'), 'report.json');
  if (!json) return undefined;
  const report = JSON.parse(json.toString('utf8')) as {
    startTime: number;
    duration: number;
    stats: { total: number; expected: number; unexpected: number; skipped: number; flaky: number };
    metadata?: { actualWorkers?: number };
  };
  return {
    source: 'last-html-report',
    wallSeconds: Math.round(report.duration / 100) / 10,
    ...counts(report.stats),
    workers: report.metadata?.actualWorkers,
    startedAt: new Date(report.startTime).toISOString(),
  };
}

/** One entry of a zip archive, via its central directory (stored or deflated). */
function readZipEntry(zip: Buffer, name: string): Buffer | undefined {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    if (entryName === name) {
      const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataAt, dataAt + size);
      return method === 8 ? inflateRawSync(data) : data;
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return undefined;
}
