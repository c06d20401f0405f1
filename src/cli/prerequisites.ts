/**
 * What `npm start` and `npm test` check before they do anything, so that a fresh machine hears at once what it
 * lacks instead of failing minutes later: the Node.js version against package.json `engines`, a Chromium and
 * redis-server (tests), free ports (the demo). Each problem is one line that says what to do.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Env } from '../shared/config.ts';
import { ChromiumNotFoundError, requireChromium } from '../chromium/resolve.ts';
import { PortInUseError } from '../shared/http.ts';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** `20.19.0`, `v22`, `23.0.0-nightly…` (a pre-release compares as its release). */
function parseVersion(text: string): [number, number, number] {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`not a version: "${text}"`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const COMPARATORS: Record<string, (c: number) => boolean> = {
  '>=': (c) => c >= 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '<': (c) => c < 0,
  '=': (c) => c === 0,
};

/**
 * Whether `version` satisfies an `engines` range made of comparators (`>=20.19`, `>=20.19 <21 || >=22.12`). Other
 * npm range forms (`^`, `~`, `x`) throw: package.json would then need this function extended, not ignored.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split('||').some((alternative) =>
    alternative
      .replace(/(>=|<=|>|<|=)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const m = /^(>=|<=|>|<|=)?(v?\d+(?:\.\d+){0,2})$/.exec(comparator);
        if (!m) throw new Error(`engines range "${range}": "${comparator}" is not understood (use >=, >, <=, < or =)`);
        return COMPARATORS[m[1] ?? '=']!(compare(v, parseVersion(m[2]!)));
      }),
  );
}

function enginesNode(): string | undefined {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { engines?: { node?: string } }).engines?.node;
}

/** The running Node.js against package.json `engines.node`; undefined when it fits. */
export function nodeVersionProblem(version = process.versions.node, range = enginesNode()): string | undefined {
  if (!range || satisfies(version, range)) return undefined;
  return `Node.js ${version} is not supported: this project needs Node.js ${range} (package.json "engines"). Install a newer one (https://nodejs.org, or \`nvm install --lts\`) and run the command again.`;
}

/** A Chromium for the browser tests; undefined when one is found. */
export function chromiumProblem(env: Env = process.env): string | undefined {
  try {
    requireChromium({ env });
    return undefined;
  } catch (err) {
    if (err instanceof ChromiumNotFoundError) return err.message;
    throw err;
  }
}

/** redis-server, which the tests of Redis sessions, rate limits and scale-out start; undefined when installed. */
export function redisServerProblem(): string | undefined {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) return undefined;
  return 'redis-server is not installed, and the tests of Redis sessions, rate limits and scale-out need it: install it with `apt-get install redis-server` (Debian; .ci/run does) or `brew install redis` (macOS), then run the tests again.';
}

/** The ports that cannot be listened on, each with the variable that moves it; tried and released at once. */
export async function portProblems(ports: readonly { port: number; variable: string }[], host = 'localhost'): Promise<string[]> {
  const problems: string[] = [];
  for (const { port, variable } of ports) {
    if (port === 0) continue;
    const problem = await new Promise<string | undefined>((resolve) => {
      const probe = createServer();
      probe.once('error', (err: NodeJS.ErrnoException) =>
        resolve(
          err.code === 'EADDRINUSE'
            ? new PortInUseError(port, variable).message
            : `Port ${port} cannot be used (${err.code ?? err.message}): set ${variable} to another port.`,
        ),
      );
      probe.listen(port, host, () => probe.close(() => resolve(undefined)));
    });
    if (problem) problems.push(problem);
  }
  return problems;
}
