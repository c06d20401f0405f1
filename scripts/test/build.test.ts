/**
 * scripts/build.mjs: what `npm start`, the benchmark's servers and the containers run. A build is reused only while
 * its sources are unchanged, and the built servers find the files next to their sources (static files, views, the
 * demo seed), which they resolve from `import.meta.url`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtEntry, currentBuild, ensureBuilt, MANIFEST } from '../build.mjs';
import { freePort } from '../../test/support/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await ensureBuilt();
}, 60_000);

describe('ensureBuilt', () => {
  it('records every file the build read, and what builds it, so that a change to any of them means a new build', () => {
    const { inputs } = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { inputs: Record<string, [number, number]> };
    for (const file of ['src/cli/main.ts', 'src/shared/demo.ts', 'auth-server/src/main.ts', 'scripts/build.mjs', 'tsconfig.json', 'package.json']) {
      expect(inputs[file], file).toEqual([statSync(join(ROOT, file)).size, Math.trunc(statSync(join(ROOT, file)).mtimeMs)]);
    }
  });

  // In a directory of its own: the tests that start the CLI build concurrently, and a touched source file in the
  // checkout would make their builds stale (the CI run of 2026-12-03 failed on this).
  describe('currentBuild reuses a build only while every input is as recorded', () => {
    let dist: string;
    let input: string;
    let build: string;
    const record = (file: string): [number, number] => [statSync(file).size, Math.trunc(statSync(file).mtimeMs)];
    const lay = (inputs: Record<string, [number, number]>) => writeFileSync(join(build, MANIFEST), JSON.stringify({ inputs }));

    beforeEach(() => {
      dist = mkdtempSync(join(tmpdir(), 'build-test-'));
      build = join(dist, 'b1');
      mkdirSync(build);
      symlinkSync('b1', join(dist, 'current'));
      input = join(dist, 'input.ts');
      writeFileSync(input, 'export const a = 1;\n');
      utimesSync(input, new Date(1_700_000_000_000), new Date(1_700_000_000_000));
    });
    afterEach(() => rmSync(dist, { recursive: true, force: true }));

    it.each([
      ['unchanged', () => {}, true],
      ['modified later (same size)', () => utimesSync(input, new Date(), new Date(1_700_000_001_000)), false],
      ['modified earlier (same size)', () => utimesSync(input, new Date(), new Date(1_699_999_999_000)), false],
      [
        'a different size, same time',
        () => {
          writeFileSync(input, 'export const a = 10;\n');
          utimesSync(input, new Date(1_700_000_000_000), new Date(1_700_000_000_000));
        },
        false,
      ],
      ['removed', () => rmSync(input), false],
      ['recorded as changed while the build read it', () => lay({ [input]: [-1, 0] }), false],
      ['no manifest', () => rmSync(join(build, MANIFEST)), false],
      ['no current build', () => rmSync(join(dist, 'current')), false],
    ] as const)('input %s → reused: %s', (_case, change, reused) => {
      lay({ [input]: record(input) });
      change();
      expect(currentBuild(dist)).toBe(reused ? realpathSync(build) : undefined);
    });
  });
  it('maps the built code back to the TypeScript files (readable stack traces), without copying them', () => {
    const map = JSON.parse(readFileSync(`${builtEntry(dir, 'src/cli/main.ts')}.map`, 'utf8')) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources.some((s) => s.endsWith('src/cli/main.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });
});

describe('the built servers, run by plain node', () => {
  let child: ChildProcess;
  let ports: { authServer: number; clientApp: number };
  const url = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;

  beforeAll(async () => {
    ports = { authServer: await freePort(), clientApp: await freePort() };
    const stack = {
      parts: ['auth-server', 'client-app'],
      host: '127.0.0.1',
      ports: { ...ports, emulator: 1 },
      urls: { stytch: 'http://127.0.0.1:1' },
      logLevel: 'silent',
    };
    child = spawn(process.execPath, ['--enable-source-maps', builtEntry(dir, 'bench/part.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', BENCH_STACK: JSON.stringify(stack) },
      stdio: 'ignore',
    });
    for (let tries = 0; tries < 300; tries += 1) {
      const ok = await fetch(url(ports.clientApp, '/healthz')).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the built client-app did not start');
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it.each([
    ['auth-server', 'authServer', '/assets/auth.css', 'auth-server/src/views/assets/auth.css'],
    ['client-app', 'clientApp', '/static/style.css', 'client-app/src/web/static/style.css'],
  ] as const)('the %s serves its static files from the source tree', async (_name, port, path, file) => {
    const res = await fetch(url(ports[port], path));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(ROOT, file), 'utf8'));
  });

  it("the client-app offers the demo seed's Connected Apps (the seed file is read from the sources)", async () => {
    const home = await (await fetch(url(ports.clientApp, '/'))).text();
    expect(home).toContain('Insight Analytics');
  });
});
