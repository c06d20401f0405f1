/**
 * `npx connected-app bench`: the benchmark runs from a checkout of the repository only. It starts the peer
 * (node-oidc-provider, a development dependency) and uses the test kit, neither of which an installed package
 * has; there it says so instead of failing on a missing module (CONTRIBUTING.md, "The benchmark is checkout-only").
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';

const BENCH_CLI = new URL('../../bench/cli.ts', import.meta.url);

function inCheckout(): boolean {
  if (!existsSync(fileURLToPath(BENCH_CLI))) return false;
  try {
    createRequire(import.meta.url).resolve('oidc-provider');
    return true;
  } catch {
    return false;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (!inCheckout()) {
    console.error(
      'connected-app bench runs from a checkout of the repository only (it needs bench/ and the development dependencies):\n' +
        '  git clone <this repository> && cd <it> && npm ci && npm run bench',
    );
    return 2;
  }
  const bench = (await import(BENCH_CLI.href)) as Command;
  return bench.run(argv);
}
