/**
 * `npx connected-app provider`: the local Stytch emulator and the Authorization URL (auth-server), without the
 * sample client-app, on the ports you choose, until Ctrl-C. Point your own relying party at it, register it
 * with `npx connected-app clients create`, then run `npx connected-app conformance`.
 * Exit codes: 0 after Ctrl-C, 1 when it cannot start (e.g. a port in use), 2 for invalid options.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { CodedError, errorMessage } from '../shared/errors.ts';
import { startProvider, type RunningProvider } from './start.ts';

const DATA_DIR = '.data/provider';

const HELP = `Usage: npx connected-app provider [--project-type consumer|b2b] [--emulator-port N] [--auth-server-port N]

Runs a local Stytch project (the emulator, with fault injection) and its Authorization URL (auth-server),
without the sample client-app: the provider to point your own relying party at. Registered clients are kept
in ${DATA_DIR}/ across restarts. Stop with Ctrl-C.

  --project-type      consumer (default) or b2b
  --emulator-port     default ${DEFAULT_PORTS.emulator.consumer} (B2B ${DEFAULT_PORTS.emulator.b2b}); the issuer is http://localhost:<port>
  --auth-server-port  default ${DEFAULT_PORTS.authServer}
  --host              interface to listen on (default localhost)
  --log-level         default warn (info shows every request)

Next: npx connected-app clients create --type third_party --redirect-uri <your callback URL>`;

export function banner(p: RunningProvider): string {
  const org = p.person.organization ? `organization ${p.person.organization}, ` : '';
  return [
    '',
    `  Local Stytch provider · ${p.project.projectType === 'b2b' ? 'B2B' : 'Consumer'} project ${p.project.projectId}`,
    '',
    `  Issuer             ${p.project.url}   (discovery: ${p.project.url}/.well-known/openid-configuration)`,
    `  Authorization URL  ${p.authorizationUrl}`,
    `  Sign in as         ${org}${p.person.email} / ${p.person.password}`,
    '',
    '  Register your relying party:',
    `    npx connected-app clients create --emulator-url ${p.project.url}${p.project.projectType === 'b2b' ? ' --project-type b2b' : ''} --type third_party --redirect-uri <your callback URL>`,
    '  Ctrl-C to stop.',
    '',
  ].join('\n');
}

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: must be a port number, 0-65535 (got "${value}")`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  let options: Parameters<typeof startProvider>[0];
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'project-type': { type: 'string' },
        'emulator-port': { type: 'string' },
        'auth-server-port': { type: 'string' },
        host: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const type = values['project-type'] ?? 'consumer';
    if (type !== 'consumer' && type !== 'b2b') throw new Error(`--project-type: must be consumer or b2b (got "${type}")`);
    const projectType: ProjectType = type;
    const level = values['log-level'] ?? 'warn';
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level))
      throw new Error(`--log-level: one of fatal, error, warn, info, debug, trace, silent (got "${level}")`);
    options = {
      projectType,
      ports: {
        emulator: port(values['emulator-port'], DEFAULT_PORTS.emulator[projectType], '--emulator-port'),
        authServer: port(values['auth-server-port'], DEFAULT_PORTS.authServer, '--auth-server-port'),
      },
      ...(values.host ? { host: values.host } : {}),
      dataDir: `${DATA_DIR}/${projectType}`,
      logLevel: level as NonNullable<Parameters<typeof startProvider>[0]['logLevel']>,
    };
  } catch (err) {
    console.error(`${errorMessage(err)}\n\n${HELP}`);
    return 2;
  }
  let provider: RunningProvider;
  try {
    provider = await startProvider(options);
  } catch (err) {
    console.error(err instanceof CodedError ? err.message : `The provider could not start: ${errorMessage(err)}`);
    return 1;
  }
  console.log(banner(provider));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  console.log('\nStopping…');
  await provider.close();
  return 0;
}
