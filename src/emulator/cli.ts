/**
 * `npx connected-app emulator`: runs one local Stytch project (Consumer or B2B) until SIGINT/SIGTERM.
 *
 * Every option has a flag and an environment variable (the flag wins); the values are validated once, here,
 * and errors name both. Exit codes: 0 after a clean shutdown, 1 when it cannot start, 2 for invalid options.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Command } from '../cli/command.ts';
import { envField, loadDotEnv, parseEnv, type Env } from '../shared/config.ts';
import { DEFAULT_PORTS, DEFAULT_SEED_URLS, demoSeedPath } from '../shared/demo.ts';
import { stytchProjectSchema, type ProjectType } from '../shared/project.ts';
import { ConfigError, errorMessage } from '../shared/errors.ts';
import { createLogger } from '../shared/log.ts';
import { catalogue, catalogueMarkdown, catalogueTable } from './faults/catalogue.ts';
import { startEmulator, type RunningEmulator } from './index.ts';
import { loadSeedFile, SeedError, type SeedDocument } from './seed.ts';

/** Flag → environment variable. The order is the order of `--help`. */
const OPTIONS = {
  'project-type': { env: 'STYTCH_PROJECT_TYPE', arg: 'TYPE', help: "consumer | b2b (default: the seed's type, else consumer)" },
  port: {
    env: 'STYTCH_EMULATOR_PORT',
    arg: 'N',
    help: `port to listen on (default ${DEFAULT_PORTS.emulator.consumer} consumer, ${DEFAULT_PORTS.emulator.b2b} b2b; 0 = any free port)`,
  },
  host: { env: 'STYTCH_EMULATOR_HOST', arg: 'HOST', help: 'interface to listen on; also the host of the issuer URL (default localhost)' },
  'project-id': { env: 'STYTCH_PROJECT_ID', arg: 'ID', help: "project id (default: the seed's)" },
  secret: { env: 'STYTCH_SECRET', arg: 'SECRET', help: "project secret for Basic auth (default: the seed's; prefer the variable, flags show in `ps`)" },
  seed: { env: 'STYTCH_EMULATOR_SEED', arg: 'FILE', help: 'seed file to apply at start, or "none" (default: the demo seed of the project type)' },
  db: { env: 'STYTCH_EMULATOR_DB', arg: 'FILE', help: 'SQLite file, or :memory: (default .data/emulator-<type>.db)' },
  'auth-server-url': { env: 'AUTH_SERVER_URL', arg: 'URL', help: `fills \${AUTH_SERVER_URL} in the seed (default ${DEFAULT_SEED_URLS.authServerUrl})` },
  'client-app-url': { env: 'CLIENT_APP_URL', arg: 'URL', help: `fills \${CLIENT_APP_URL} in the seed (default ${DEFAULT_SEED_URLS.clientAppUrl})` },
  'log-level': { env: 'LOG_LEVEL', arg: 'LEVEL', help: 'fatal | error | warn | info | debug | trace | silent (default info)' },
} as const;
type Flag = keyof typeof OPTIONS;

const schema = z.object({
  // No default: the seed's type wins when none is given.
  STYTCH_PROJECT_TYPE: stytchProjectSchema.shape.STYTCH_PROJECT_TYPE.removeDefault().optional(),
  // No fixed default: it depends on the project type, known only after the seed is read.
  STYTCH_EMULATOR_PORT: z.coerce
    .number({ message: 'must be a TCP port number, e.g. 9010' })
    .int('must be a TCP port number, e.g. 9010')
    .min(0, 'must be a TCP port number between 0 and 65535')
    .max(65535, 'must be a TCP port number between 0 and 65535')
    .optional(),
  STYTCH_EMULATOR_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or an IP address')
    .default('localhost'),
  STYTCH_PROJECT_ID: stytchProjectSchema.shape.STYTCH_PROJECT_ID,
  STYTCH_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  STYTCH_EMULATOR_SEED: z.string().optional(),
  STYTCH_EMULATOR_DB: z.string().optional(),
  AUTH_SERVER_URL: envField.url(DEFAULT_SEED_URLS.authServerUrl).default(DEFAULT_SEED_URLS.authServerUrl),
  CLIENT_APP_URL: envField.url(DEFAULT_SEED_URLS.clientAppUrl).default(DEFAULT_SEED_URLS.clientAppUrl),
  LOG_LEVEL: envField.logLevel(),
});

export class UsageError extends Error {}

export function helpText(): string {
  const usage = (flag: string, arg: string) => `--${flag} ${arg}`;
  const width = Math.max(...Object.entries(OPTIONS).map(([f, o]) => usage(f, o.arg).length));
  return [
    'Usage: npx connected-app emulator [options]',
    '',
    'Runs one local Stytch project (Consumer or B2B) that the stytch SDK and openid-client can use:',
    '  new stytch.Client({ project_id, secret, env: "<printed URL>" })',
    'State is kept in a SQLite file, so nothing is lost on restart. Stop it with Ctrl-C.',
    '',
    'Options (each can also be set by the environment variable on the right; the flag wins):',
    ...Object.entries(OPTIONS).map(([flag, o]) => `  ${usage(flag, o.arg).padEnd(width)}  ${o.env.padEnd(22)} ${o.help}`),
    `  ${'--list-scenarios'.padEnd(width)}  ${''.padEnd(22)} list the fault scenarios (with --json or --markdown) and exit`,
    `  ${'--help'.padEnd(width)}  ${''.padEnd(22)} show this text`,
    '',
    'Examples:',
    '  npx connected-app emulator                              # the demo Consumer project on :9010',
    '  npx connected-app emulator --project-type b2b           # the demo B2B project on :9011',
    '  npx connected-app emulator --db :memory: --port 0       # throwaway state, any free port',
    '  npx connected-app emulator --list-scenarios             # the hostile-provider catalogue (docs/faults.md)',
  ].join('\n');
}

export interface EmulatorCliOptions {
  projectType: ProjectType;
  port: number;
  host: string;
  projectId?: string;
  secret?: string;
  seed: SeedDocument | false;
  db: string;
  seedUrls: { authServerUrl: string; clientAppUrl: string };
  logLevel: z.output<typeof schema>['LOG_LEVEL'];
  /** The variable (or flag) that set the port, named when the port is in use. */
  portVariable: string;
}

/** `--list-scenarios`: the fault catalogue, in the format asked for. */
export interface ListScenarios {
  list: 'table' | 'json' | 'markdown';
}

/** `--list-scenarios [--json | --markdown]`: the catalogue instead of a server; undefined without the flag. */
export function parseListScenarios(argv: readonly string[]): ListScenarios | undefined {
  if (!argv.includes('--list-scenarios')) return undefined;
  const rest = argv.filter((a) => a !== '--list-scenarios');
  const others = rest.filter((a) => a !== '--json' && a !== '--markdown');
  if (others.length) throw new UsageError(`--list-scenarios takes only --json or --markdown (got: ${others.join(' ')}).`);
  if (rest.includes('--json') && rest.includes('--markdown')) throw new UsageError('--json and --markdown: pick one format for --list-scenarios.');
  return { list: rest.includes('--json') ? 'json' : rest.includes('--markdown') ? 'markdown' : 'table' };
}

/** Parses flags and environment into options; `'help'` for --help. Throws UsageError / ConfigError / SeedError. */
export function parseEmulatorArgs(argv: readonly string[], env: Env): EmulatorCliOptions | 'help' {
  let values: Partial<Record<Flag | 'help', string | boolean>>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...(Object.fromEntries(Object.keys(OPTIONS).map((f) => [f, { type: 'string' }])) as Record<Flag, { type: 'string' }>),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  if (values.help) return 'help';

  const merged: Env = { ...env };
  for (const flag of Object.keys(OPTIONS) as Flag[]) {
    const value = values[flag];
    if (typeof value === 'string') merged[OPTIONS[flag].env] = value;
  }
  let config: z.output<typeof schema>;
  try {
    config = parseEnv('npx connected-app emulator', schema, merged);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Name the flag next to the variable: the value may have come from either.
    const flagOf = (name: string) => Object.entries(OPTIONS).find(([, o]) => o.env === name)?.[0];
    const problems = err.problems.map((p) => p.replace(/^([A-Z_]+):/, (_m, name: string) => (flagOf(name) ? `--${flagOf(name)} (${name}):` : `${name}:`)));
    throw new ConfigError('npx connected-app emulator', problems);
  }

  const seedUrls = { authServerUrl: config.AUTH_SERVER_URL, clientAppUrl: config.CLIENT_APP_URL };
  const seedChoice = config.STYTCH_EMULATOR_SEED;
  let seed: SeedDocument | false;
  if (seedChoice === 'none') seed = false;
  else if (seedChoice) seed = loadSeedFile(seedChoice, seedUrls);
  else seed = loadSeedFile(demoSeedPath(config.STYTCH_PROJECT_TYPE ?? 'consumer'), seedUrls);

  const projectType = config.STYTCH_PROJECT_TYPE ?? (seed ? seed.project.project_type : 'consumer');
  if (seed && seed.project.project_type !== projectType) {
    throw new UsageError(`The seed ${seedChoice} is for a ${seed.project.project_type} project, but --project-type (STYTCH_PROJECT_TYPE) is ${projectType}.`);
  }
  if (!seed && (!config.STYTCH_PROJECT_ID || !config.STYTCH_SECRET)) {
    throw new UsageError('Without a seed, --project-id (STYTCH_PROJECT_ID) and --secret (STYTCH_SECRET) are required.');
  }
  const portFromFlag = typeof values.port === 'string';
  return {
    projectType,
    port: config.STYTCH_EMULATOR_PORT ?? DEFAULT_PORTS.emulator[projectType],
    host: config.STYTCH_EMULATOR_HOST,
    ...(config.STYTCH_PROJECT_ID ? { projectId: config.STYTCH_PROJECT_ID } : {}),
    ...(config.STYTCH_SECRET ? { secret: config.STYTCH_SECRET } : {}),
    seed,
    db: config.STYTCH_EMULATOR_DB ?? `.data/emulator-${projectType}.db`,
    seedUrls,
    logLevel: config.LOG_LEVEL,
    portVariable: portFromFlag ? '--port (STYTCH_EMULATOR_PORT)' : 'STYTCH_EMULATOR_PORT',
  };
}

export interface EmulatorCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Env;
  /** Resolves when the emulator should stop; default: the first SIGINT or SIGTERM. */
  stopped?: Promise<unknown>;
  /** Called once the emulator serves (tests read the URL from here). */
  onReady?: (emulator: RunningEmulator) => void;
}

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function emulatorCommand(argv: readonly string[], io: EmulatorCliIo): Promise<number> {
  let options: EmulatorCliOptions | ListScenarios | 'help';
  try {
    options = parseListScenarios(argv) ?? parseEmulatorArgs(argv, io.env);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof SeedError) {
      io.stderr.write(`${err.message}\n\nRun \`npx connected-app emulator --help\` for the options.\n`);
      return 2;
    }
    throw err;
  }
  if (options === 'help') {
    io.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if ('list' in options) {
    const text =
      options.list === 'json' ? JSON.stringify({ scenarios: catalogue() }, null, 2) : options.list === 'markdown' ? catalogueMarkdown() : catalogueTable();
    io.stdout.write(`${text}\n`);
    return 0;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      projectType: options.projectType,
      port: options.port,
      host: options.host,
      db: options.db,
      seed: options.seed,
      seedUrls: options.seedUrls,
      ...(options.projectId ? { projectId: options.projectId } : {}),
      ...(options.secret ? { secret: options.secret } : {}),
      portVariable: options.portVariable,
      logger: createLogger(`emulator:${options.projectType}`, options.logLevel),
    });
  } catch (err) {
    io.stderr.write(`The emulator could not start: ${errorMessage(err)}\n`);
    return 1;
  }
  io.stdout.write(
    [
      `Stytch emulator (${emulator.projectType} project ${emulator.projectId}) listening on ${emulator.url}`,
      `  state: ${options.db}${options.seed ? '; seeded' : ''}`,
      `  SDK:   new stytch.${emulator.projectType === 'b2b' ? 'B2BClient' : 'Client'}({ project_id: '${emulator.projectId}', secret, env: '${emulator.url}' })`,
      '',
    ].join('\n'),
  );
  io.onReady?.(emulator);

  const reason = await (io.stopped ?? signalled());
  io.stdout.write(`Stopping the emulator${typeof reason === 'string' ? ` (${reason})` : ''}...\n`);
  await emulator.close();
  return 0;
}

/** This command's entry in src/cli/commands.ts. */
export const run: Command['run'] = async (argv) => {
  loadDotEnv();
  return emulatorCommand(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
};
