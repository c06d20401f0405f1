/**
 * Which Chromium the project drives: one answer for the end-to-end tests (playwright.config.ts), `verify`,
 * `conformance` and the screenshot script. In order:
 *
 *   1. a path the tool was given (`--browser`), then `CHROMIUM_PATH`: used as given, an error if nothing is there;
 *   2. the Chromium Playwright installed itself (`npx playwright install chromium`), where its registry says;
 *   3. Debian's packages on PATH: `chromium-headless-shell` (`apt-get install chromium-headless-shell`), then `chromium`.
 *
 * Where there is a choice the headless shell comes first: it is what Playwright runs headless, and a browser context
 * costs a fraction of the full browser's CPU in it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { BrowserType } from 'playwright-core';
import type { Env } from '../shared/config.ts';
import { CodedError } from '../shared/errors.ts';

export interface FoundChromium {
  path: string;
  /** Where it was found, for messages: `--browser`, `CHROMIUM_PATH`, `Playwright`, `PATH`. */
  source: string;
}

/** The two ways to install a browser, named by every tool that needs one. */
export const INSTALL_CHROMIUM = '`npx playwright install chromium` (anywhere with internet) or `apt-get install chromium-headless-shell` (Debian)';

export class ChromiumNotFoundError extends CodedError<'ERR_NO_CHROMIUM'> {
  constructor(message: string) {
    super('ERR_NO_CHROMIUM', message);
  }
}

export interface FindChromiumOptions {
  /** A path the tool was given, and the option that gave it (`--browser (VERIFY_BROWSER)`). */
  given?: { path: string | undefined; option: string };
  env?: Env;
  /** Test seams: whether a file is an executable, and where Playwright's own Chromiums are. */
  isExecutable?: (path: string) => boolean;
  playwrightChromiums?: () => string[];
}

const DEBIAN_NAMES = ['chromium-headless-shell', 'chromium'];

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

interface PlaywrightRegistry {
  findExecutable(name: string): { executablePath(): string | undefined } | undefined;
}

/**
 * Where Playwright keeps its Chromiums (honouring PLAYWRIGHT_BROWSERS_PATH), headless shell first. The public API
 * names the full browser only (`chromium.executablePath()`); the headless shell's path comes from Playwright's
 * registry, reached through `playwright-core/lib/coreBundle` (one of the package's exports), and is left out if
 * a later playwright-core arranges it differently.
 */
function installedByPlaywright(): string[] {
  // Loaded on demand: `npm start` checks its prerequisites here and never needs a browser.
  const load = createRequire(import.meta.url);
  const paths: string[] = [];
  try {
    const bundle = load('playwright-core/lib/coreBundle') as { registry?: { registry?: Partial<PlaywrightRegistry> } };
    const shell = bundle.registry?.registry?.findExecutable?.('chromium-headless-shell')?.executablePath();
    if (shell) paths.push(shell);
  } catch {
    // Only the full browser, below.
  }
  try {
    paths.push((load('playwright-core') as { chromium: BrowserType }).chromium.executablePath());
  } catch {
    // Playwright has no Chromium build for this platform.
  }
  return paths;
}

/** The first Chromium in the order above; undefined when there is none. Throws when a given path is wrong. */
export function findChromium(options: FindChromiumOptions = {}): FoundChromium | undefined {
  const env = options.env ?? process.env;
  const isExecutable = options.isExecutable ?? isExecutableFile;
  const named = options.given?.path
    ? { path: options.given.path, source: options.given.option }
    : env.CHROMIUM_PATH
      ? { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
      : undefined;
  // A path someone wrote down is used or refused, never passed over for another browser.
  if (named) {
    if (!isExecutable(named.path)) {
      throw new ChromiumNotFoundError(
        `${named.source} is ${named.path}, but there is no executable there: correct it, or unset it and install Chromium with ${INSTALL_CHROMIUM}.`,
      );
    }
    return named;
  }
  for (const path of (options.playwrightChromiums ?? installedByPlaywright)()) {
    if (isExecutable(path)) return { path, source: 'Playwright' };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of DEBIAN_NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutable(path)) return { path, source: 'PATH' };
    }
  }
  return undefined;
}

/** `findChromium`, or a `ChromiumNotFoundError` that says how to get one. */
export function requireChromium(options: FindChromiumOptions = {}): FoundChromium {
  const found = findChromium(options);
  if (!found) throw new ChromiumNotFoundError(`No Chromium found: install one with ${INSTALL_CHROMIUM}, or set CHROMIUM_PATH to a Chromium executable.`);
  return found;
}
