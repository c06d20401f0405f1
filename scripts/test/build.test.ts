/**
 * scripts/build.mjs: what `npm start`, the benchmark's servers and the containers run. A build is reused only while
 * its sources are unchanged, and the built servers find the files next to their sources (static files, views, the
 * demo seed), which they resolve from `import.meta.url`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtEntry, currentBuild, ensureBuilt } from '../build.mjs';
import { freePort } from '../../test/support/ports.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await ensureBuilt();
}, 60_000);

describe('ensureBuilt', () => {
  it('reuses the build while its sources are unchanged, and not once one of them changed', () => {
    expect(currentBuild()).toBe(dir);
    const source = join(ROOT, 'src/shared/demo.ts');
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(mtime.getTime() + 1000));
      expect(currentBuild()).toBeUndefined();
    } finally {
      utimesSync(source, atime, mtime);
    }
    expect(currentBuild()).toBe(dir);
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
