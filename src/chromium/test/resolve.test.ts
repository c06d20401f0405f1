import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChromiumNotFoundError, findChromium, requireChromium } from '../resolve.ts';

const PW_SHELL = '/home/dev/.cache/ms-playwright/chromium_headless_shell-1255/chrome-headless-shell-linux64/chrome-headless-shell';
const PW_FULL = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

/** A machine where exactly `installed` exist, Playwright's registry naming its two Chromiums. */
function on(installed: string[], env: Record<string, string> = {}, given?: string) {
  return findChromium({
    ...(given ? { given: { path: given, option: '--browser' } } : {}),
    env: { PATH: ['/usr/local/bin', '/usr/bin'].join(delimiter), ...env },
    isExecutable: (p) => installed.includes(p),
    playwrightChromiums: () => [PW_SHELL, PW_FULL],
  });
}

const everything = ['/opt/given/chrome', '/opt/env/chromium', PW_SHELL, PW_FULL, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

describe('findChromium: the order', () => {
  it.each([
    [
      'a path the tool was given, before everything',
      everything,
      { CHROMIUM_PATH: '/opt/env/chromium' },
      '/opt/given/chrome',
      { path: '/opt/given/chrome', source: '--browser' },
    ],
    [
      'CHROMIUM_PATH, before Playwright and Debian',
      everything,
      { CHROMIUM_PATH: '/opt/env/chromium' },
      undefined,
      { path: '/opt/env/chromium', source: 'CHROMIUM_PATH' },
    ],
    ["Playwright's headless shell, before its full browser and Debian", everything, {}, undefined, { path: PW_SHELL, source: 'Playwright' }],
    [
      "Playwright's full browser (installed with --no-shell)",
      [PW_FULL, '/usr/bin/chromium-headless-shell'],
      {},
      undefined,
      { path: PW_FULL, source: 'Playwright' },
    ],
    [
      "Debian's headless shell, before chromium",
      ['/usr/bin/chromium-headless-shell', '/usr/local/bin/chromium'],
      {},
      undefined,
      { path: '/usr/bin/chromium-headless-shell', source: 'PATH' },
    ],
    ["Debian's chromium", ['/usr/bin/chromium'], {}, undefined, { path: '/usr/bin/chromium', source: 'PATH' }],
    ['nothing', [], {}, undefined, undefined],
  ])('%s', (_what, installed, env, given, expected) => {
    expect(on(installed, env, given)).toEqual(expected);
  });

  it("looks for Debian's packages on PATH only", () => {
    expect(on(['/usr/bin/chromium'], { PATH: '/nowhere' })).toBeUndefined();
  });

  it.each([
    ['CHROMIUM_PATH', { CHROMIUM_PATH: '/opt/env/missing' }, undefined, 'CHROMIUM_PATH is /opt/env/missing, but there is no executable there'],
    ['a given path', {}, '/opt/given/missing', '--browser is /opt/given/missing, but there is no executable there'],
  ])('refuses %s that leads nowhere, rather than quietly using another browser', (_what, env, given, message) => {
    expect(() => on(everything, env, given)).toThrow(ChromiumNotFoundError);
    expect(() => on(everything, env, given)).toThrow(message);
  });
});

describe('requireChromium', () => {
  it('says how to get a browser when there is none', () => {
    const none = () => requireChromium({ env: { PATH: '/nowhere' }, isExecutable: () => false, playwrightChromiums: () => [PW_FULL] });
    expect(none).toThrow(
      'No Chromium found: install one with `npx playwright install chromium` (anywhere with internet) or `apt-get install chromium-headless-shell` (Debian), or set CHROMIUM_PATH to a Chromium executable.',
    );
  });
});

describe('on the file system', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes an executable file from PATH, and passes over one that cannot be executed', () => {
    const notExecutable = join(dir, 'a');
    const executable = join(dir, 'b');
    for (const [d, mode] of [
      [notExecutable, 0o644],
      [executable, 0o755],
    ] as const) {
      mkdirSync(d);
      writeFileSync(join(d, 'chromium'), '#!/bin/sh\n');
      chmodSync(join(d, 'chromium'), mode);
    }
    const found = findChromium({ env: { PATH: [notExecutable, executable].join(delimiter) }, playwrightChromiums: () => [] });
    expect(found).toEqual({ path: join(executable, 'chromium'), source: 'PATH' });
  });
});
