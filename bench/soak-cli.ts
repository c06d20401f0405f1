/**
 * `npm run soak` (`npx connected-app soak`): the soak run with restarts (bench/soak.ts). Prints the report;
 * `--out FILE` also writes JSON.
 *
 * Exit codes: 0 when the run passed (no person or session lost, no 5xx, no process died, failures only from
 * flows in flight during a restart), 1 otherwise, 2 for invalid options.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_SOAK, RESTART_ORDER, runSoak, soakPassed, soakReport, type Part, type SoakOptions } from './soak.ts';
import { optionsOrExitCode } from './usage.ts';

const HELP = `Usage: npm run soak [-- options]

Starts the emulator, the auth-server and the client-app (one process each, data in files), runs complete
signed-in flows with one cookie jar per virtual user while restarting each process once on its own data
(emulator, then auth-server, then client-app), then sends malformed and hostile requests to the authorize,
token, revoke, introspect and callback endpoints. Reports completed and failed flows, people and sessions
lost, every 5xx or unanswered request, and any process that died.

Options:
  --flows N          signed-in flows (default ${DEFAULT_SOAK.flows})
  --concurrency N    virtual users at once (default ${DEFAULT_SOAK.concurrency})
  --hostile N        malformed and hostile requests (default ${DEFAULT_SOAK.hostile})
  --restarts LIST    processes to restart, in order (default ${RESTART_ORDER.join(',')}; "none" for none)
  --out FILE         also write the result as JSON`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: must be a whole number, at least ${min} (got "${raw}")`);
  return n;
}

export function parseSoakArgs(argv: string[]): (SoakOptions & { out: string | undefined }) | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      flows: { type: 'string' },
      concurrency: { type: 'string' },
      hostile: { type: 'string' },
      restarts: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const restarts = values.restarts === undefined ? RESTART_ORDER : values.restarts === 'none' ? [] : values.restarts.split(',').map((p) => p.trim());
  const unknown = restarts.filter((p) => !(RESTART_ORDER as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`--restarts: unknown process ${unknown.join(', ')} (choose from ${RESTART_ORDER.join(', ')})`);
  return {
    flows: count('flows', values.flows, DEFAULT_SOAK.flows, 1),
    concurrency: count('concurrency', values.concurrency, DEFAULT_SOAK.concurrency, 1),
    hostile: count('hostile', values.hostile, DEFAULT_SOAK.hostile, 0),
    restarts: restarts as Part[],
    out: values.out,
  };
}

export async function run(argv: string[]): Promise<number> {
  const options = optionsOrExitCode(() => parseSoakArgs(argv), HELP);
  if (typeof options === 'number') return options;
  const result = await runSoak({ ...options, progress: (line) => console.error(`… ${line}`) });
  console.log(soakReport(result));
  if (options.out) writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  const passed = soakPassed(result);
  console.log(passed ? 'soak passed' : 'soak FAILED');
  return passed ? 0 : 1;
}
