/**
 * `npm test` on a machine without a browser stops before it runs anything, and says how to get one. The script
 * runs for real, with no CHROMIUM_PATH, a PATH without browsers (nor npx: were the check to pass, nothing else
 * could start) and an empty Playwright browser directory.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'test-all-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function npmTest(args: string[], path: string) {
  const emptyBrowsers = join(dir, 'ms-playwright');
  mkdirSync(emptyBrowsers, { recursive: true });
  const env: Record<string, string> = { PATH: path, PLAYWRIGHT_BROWSERS_PATH: emptyBrowsers, HOME: dir };
  const r = spawnSync(process.execPath, ['scripts/test-all.mjs', ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm test preflight', () => {
  it('stops at once with exit 1 when no Chromium (nor redis-server) is found, naming the ways to get one', () => {
    const noBrowsers = join(dir, 'empty-bin');
    mkdirSync(noBrowsers, { recursive: true });
    const r = npmTest([], noBrowsers);
    expect(r.stderr).toContain('npm test: No Chromium found');
    for (const way of ['`npx playwright install chromium`', '`apt-get install chromium-headless-shell`', 'CHROMIUM_PATH']) expect(r.stderr).toContain(way);
    // Each missing prerequisite is said, one line each.
    expect(r.stderr).toContain('npm test: redis-server is not installed');
    expect(r.status).toBe(1);
    // Before the typecheck: nothing else started.
    expect(r.stdout).not.toContain('=== typecheck');
  });

  it('passes with a Chromium and redis-server on PATH (--preflight: the checks only)', () => {
    const bin = join(dir, 'debian-bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['chromium-headless-shell', 'redis-server']) {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
    const r = npmTest(['--preflight'], bin);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
