/**
 * Commands that run from a checkout of the repository only (`bench`, `soak`): they start the peer
 * (node-oidc-provider, a development dependency) or use bench/ and the test kit, none of which an installed
 * package has; there they say so instead of failing on a missing module (CONTRIBUTING.md, "The
 * benchmark and the soak are checkout-only").
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';

function inCheckout(cli: URL): boolean {
  if (!existsSync(fileURLToPath(cli))) return false;
  try {
    createRequire(import.meta.url).resolve('oidc-provider');
    return true;
  } catch {
    return false;
  }
}

/** The command `name` whose module is `cli` (a URL into bench/), or an explanation and exit code 2 outside a checkout. */
export function checkoutOnly(name: string, cli: URL): Command {
  return {
    async run(argv) {
      if (!inCheckout(cli)) {
        console.error(
          `connected-app ${name} runs from a checkout of the repository only (it needs bench/ and the development dependencies):\n` +
            `  git clone <this repository> && cd <it> && npm ci && npm run ${name}`,
        );
        return 2;
      }
      // Development tools, run from their TypeScript as the tests are (the CLI itself is built: scripts/build.mjs).
      const { register } = await import('tsx/esm/api');
      register();
      const command = (await import(cli.href)) as Command;
      return command.run(argv);
    },
  };
}
