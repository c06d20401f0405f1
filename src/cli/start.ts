/**
 * `npm start` (`npx connected-app start`): the whole demo on localhost — the local Stytch emulator (seeded),
 * the auth-server, the client-app and the mcp-server — until Ctrl-C. With STYTCH_PROJECT_ID and STYTCH_SECRET in the
 * environment or `.env`, no emulator starts: the two apps run against your own Stytch project.
 *
 * Exit codes: 0 after a clean shutdown, 1 when the stack cannot start (a prerequisite missing, a port in use…),
 * 2 for invalid options or variables.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { envField, loadDotEnv, parseEnv, type Env } from '../shared/config.ts';
import { DEFAULT_PORTS } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { lockDataDir, type DataLock } from '../shared/data-lock.ts';
import { CodedError, ConfigError, errorMessage } from '../shared/errors.ts';
import { nodeVersionProblem, portProblems } from './prerequisites.ts';
import { STACK_PARTS, startStack, stytchProjectFromEnv, type Stack, type StackClient, type StytchProject } from '../stack.ts';

const DATA_DIR = '.data';
/** Distance between the ports of the stack that is running and those suggested for a second one. */
const SECOND_STACK_OFFSET = 100;

const HELP = `Usage: npm start [-- --project-type consumer|b2b]
       npx connected-app start [--project-type consumer|b2b]

Runs the demo: a local Stytch project (emulator), the Authorization URL (auth-server), a sample
Connected App (client-app) and a sample MCP server (mcp-server), then prints the URLs to open. Data is kept in
${DATA_DIR}/<type>/ (one running stack per directory). Stop with Ctrl-C.

Environment (also read from .env):
  STYTCH_PROJECT_TYPE    consumer | b2b (default consumer; --project-type wins)
  CLIENT_APP_PORT        default ${DEFAULT_PORTS.clientApp}
  AUTH_SERVER_PORT       default ${DEFAULT_PORTS.authServer}
  MCP_SERVER_PORT        default ${DEFAULT_PORTS.mcpServer}
  STYTCH_EMULATOR_PORT   default ${DEFAULT_PORTS.emulator.consumer} (Consumer), ${DEFAULT_PORTS.emulator.b2b} (B2B)
  LOG_LEVEL              default warn (info shows every request)
  STACK_DATA_DIR         default ${DATA_DIR} (a second stack next to a running one needs its own, and other ports)

Your own Stytch project instead of the emulator:
  STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_API_URL (your project domain), STYTCH_PROJECT_TYPE,
  OIDC_CLIENT_ID (+ OIDC_CLIENT_SECRET for a confidential client), or CLIENT_APP_PROFILES.
  See README.md, "Use it with your own Stytch project".`;

const schema = z.object({
  STYTCH_PROJECT_TYPE: z.enum(['consumer', 'b2b'], { message: 'must be consumer or b2b' }).default('consumer'),
  CLIENT_APP_PORT: envField.port(DEFAULT_PORTS.clientApp),
  AUTH_SERVER_PORT: envField.port(DEFAULT_PORTS.authServer),
  MCP_SERVER_PORT: envField.port(DEFAULT_PORTS.mcpServer),
  STYTCH_EMULATOR_PORT: envField.port(-1),
  STACK_DATA_DIR: z.string().trim().min(1, 'must be a directory').default(DATA_DIR),
  // Quiet by default, so that the block below stays readable; warnings (e.g. fault injection) still show.
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'must be one of fatal, error, warn, info, debug, trace, silent' })
    .default('warn'),
});

export async function run(argv: string[]): Promise<number> {
  const tooOld = nodeVersionProblem();
  if (tooOld) {
    console.error(tooOld);
    return 1;
  }
  let projectTypeFlag: string | undefined;
  try {
    const { values } = parseArgs({ args: argv, options: { 'project-type': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    projectTypeFlag = values['project-type'];
  } catch (err) {
    console.error(`${errorMessage(err)}\n\n${HELP}`);
    return 2;
  }

  loadDotEnv();
  const env: Env = { ...process.env, ...(projectTypeFlag ? { STYTCH_PROJECT_TYPE: projectTypeFlag } : {}) };
  let vars: z.output<typeof schema>;
  let stytch: StytchProject | undefined;
  try {
    if (projectTypeFlag && projectTypeFlag !== 'consumer' && projectTypeFlag !== 'b2b') {
      throw new ConfigError('npm start', [`--project-type: must be consumer or b2b (got "${projectTypeFlag}")`]);
    }
    vars = parseEnv('npm start', schema, env);
    stytch = stytchProjectFromEnv(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }

  const projectType: ProjectType = stytch?.projectType ?? vars.STYTCH_PROJECT_TYPE;
  const emulatorPort = vars.STYTCH_EMULATOR_PORT === -1 ? DEFAULT_PORTS.emulator[projectType] : vars.STYTCH_EMULATOR_PORT;
  const dataDir = join(vars.STACK_DATA_DIR, stytch ? 'stytch' : projectType);
  const ports = { emulator: emulatorPort, authServer: vars.AUTH_SERVER_PORT, clientApp: vars.CLIENT_APP_PORT, mcpServer: vars.MCP_SERVER_PORT };
  // The lock first: when another stack runs on this data, naming it says more than "port in use".
  let lock: DataLock;
  try {
    lock = lockDataDir(dataDir, { 'client-app': `http://localhost:${ports.clientApp}` }, secondStackHint(vars.STACK_DATA_DIR, ports));
  } catch (err) {
    console.error(errorMessage(err));
    return 1;
  }
  // Every busy port at once, before anything starts (startStack would stop at the first).
  const busy = await portProblems([
    ...(stytch ? [] : [{ port: emulatorPort, variable: 'STYTCH_EMULATOR_PORT' }]),
    { port: ports.authServer, variable: 'AUTH_SERVER_PORT' },
    { port: ports.clientApp, variable: 'CLIENT_APP_PORT' },
    { port: ports.mcpServer, variable: 'MCP_SERVER_PORT' },
  ]);
  if (busy.length) {
    lock.release();
    console.error(busy.join('\n'));
    return 1;
  }
  let stack: Stack;
  try {
    stack = await startStack({
      projectType,
      ports,
      parts: STACK_PARTS,
      dataDir,
      logLevel: vars.LOG_LEVEL,
      env,
      ...(stytch ? { stytch } : {}),
    });
  } catch (err) {
    lock.release();
    // Port in use, invalid configuration, Stytch refusing the credentials: the message says what to change.
    console.error(err instanceof CodedError ? err.message : `The demo could not start: ${errorMessage(err)}`);
    return err instanceof ConfigError ? 2 : 1;
  }
  lock.update({ 'client-app': stack.urls.clientApp, 'auth-server': stack.urls.authServer, ...(stack.emulator ? { emulator: stack.urls.stytch } : {}) });

  console.log(banner(stack, dataDir));

  await new Promise<void>((resolve) => {
    const stop = () => {
      // A second Ctrl-C while stopping ends the process at once.
      process.once('SIGINT', () => process.exit(130));
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('\nStopping…');
  await stack.close();
  lock.release();
  return 0;
}

/** How to run a second stack next to the one holding the lock: a directory and ports of its own. */
function secondStackHint(dataRoot: string, ports: { emulator: number; authServer: number; clientApp: number; mcpServer: number }): string {
  const other = (port: number) => (port === 0 ? 0 : port + SECOND_STACK_OFFSET);
  return (
    `To run a second stack next to it, give it its own data directory and ports, e.g. ` +
    `STACK_DATA_DIR=${dataRoot.replace(/\/+$/, '')}-2 CLIENT_APP_PORT=${other(ports.clientApp)} AUTH_SERVER_PORT=${other(ports.authServer)} ` +
    `MCP_SERVER_PORT=${other(ports.mcpServer)} STYTCH_EMULATOR_PORT=${other(ports.emulator)} npm start`
  );
}

const CONSENT_TEXT: Record<StackClient['consent'], string> = {
  always: 'consent page on every login (asks for offline_access)',
  'first-time': 'consent page the first time',
  never: 'no consent page',
};

/** The one block `npm start` prints: what to open, who to sign in as, what each client will do. */
export function banner(stack: Stack, dataDir: string): string {
  const kind = stack.projectType === 'b2b' ? 'B2B' : 'Consumer';
  const width = Math.max(...stack.clients.map((c) => c.name.length));
  const lines = [
    '',
    `  Stytch Connected Apps demo · ${kind} project · ${stack.emulator ? 'local Stytch emulator' : `your Stytch project at ${stack.urls.stytch}`}`,
    '',
    `  Open            ${stack.urls.clientApp}`,
  ];
  if (stack.demo) {
    const org = stack.demo.organization ? `organization ${stack.demo.organization}, ` : '';
    lines.push(`  Sign in as      ${org}${stack.demo.email} / ${stack.demo.password}`);
  }
  lines.push('  Clients');
  for (const c of stack.clients) {
    const kindOf = `${c.firstParty ? 'first-party' : 'third-party'}, ${c.confidential ? 'confidential' : 'public'}`;
    lines.push(`    ${c.name.padEnd(width)}  ${kindOf.padEnd(26)} ${CONSENT_TEXT[c.consent]}`);
  }
  lines.push(
    '',
    `  Authorization URL  ${stack.urls.authorizationUrl}`,
    ...(stack.urls.mcpServer ? [`  MCP server         ${stack.urls.mcpServer}   try: npx connected-app mcp-client ${stack.urls.mcpServer}`] : []),
    stack.emulator ? `  Stytch emulator    ${stack.urls.stytch}   data in ${dataDir}/` : `  Sessions in ${dataDir}/`,
    '  Ctrl-C to stop.',
    '',
  );
  return lines.join('\n');
}
