/**
 * `npx connected-app clients create|list|delete`: register your own relying party with the local emulator (the
 * one `npx connected-app provider` or `npm start` runs), and get the exact flags for `conformance`.
 * Exit codes: 0 done, 1 the emulator refused or could not be reached, 2 invalid options.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../cli/command.ts';
import { DEFAULT_PORTS, loadDemoSeed } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { errorMessage } from '../shared/errors.ts';
import { CLIENT_TYPES, createClient, deleteClient, listClients, type ClientType, type ProviderProject, type RegisteredClient } from './clients.ts';

export interface ClientsIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const HELP = `Usage:
  npx connected-app clients create --type <type> --redirect-uri <url> [--name <name>] [--json]
  npx connected-app clients list [--json]
  npx connected-app clients delete --client-id <id>

Registers your relying party (a Connected App client) with the local Stytch emulator, e.g. the one
\`npx connected-app provider\` runs, and prints the client id, the secret, the issuer and the flags for
\`npx connected-app conformance\`.

  --type           ${CLIENT_TYPES.join(' | ')}
                   (third_party: a confidential client with a secret, consent shown; *_public: no secret, PKCE)
  --redirect-uri   your relying party's callback URL, exactly as it sends it (comma-separated for several)
  --name           shown on the consent page (default "My relying party")
  --client-id      the client to delete

The emulator (default: the demo project on localhost):
  --emulator-url   default http://localhost:${DEFAULT_PORTS.emulator.consumer} (B2B ${DEFAULT_PORTS.emulator.b2b})
  --project-type   consumer (default) or b2b
  --project-id, --secret   the emulator project's credentials (default: the demo project's)`;

class UsageError extends Error {}

function projectFrom(values: Record<string, string | boolean | undefined>): ProviderProject {
  const type = (values['project-type'] as string | undefined) ?? 'consumer';
  if (type !== 'consumer' && type !== 'b2b') throw new UsageError(`--project-type: must be consumer or b2b (got "${type}")`);
  const projectType: ProjectType = type;
  const demo = loadDemoSeed(projectType);
  const url = (values['emulator-url'] as string | undefined) ?? `http://localhost:${DEFAULT_PORTS.emulator[projectType]}`;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`--emulator-url: must be an absolute http(s) URL (got "${url}")`);
  return {
    url: new URL(url).origin,
    projectId: (values['project-id'] as string | undefined) ?? demo.project.project_id,
    secret: (values.secret as string | undefined) ?? demo.project.secret,
    projectType,
  };
}

/** The flags `conformance` needs beyond the demo defaults, for this client and emulator. */
export function conformanceFlags(project: ProviderProject, clientId: string): string[] {
  const demo = loadDemoSeed(project.projectType);
  const flags = [`--emulator-url ${project.url}`, `--client-id ${clientId}`];
  if (project.projectType !== 'consumer') flags.unshift('--project-type b2b');
  if (project.projectId !== demo.project.project_id || project.secret !== demo.project.secret)
    flags.push(`--project-id ${project.projectId}`, '--secret <the project secret>');
  return flags;
}

function describeCreated(project: ProviderProject, c: RegisteredClient): string {
  return [
    `Registered "${c.name}" (${c.type}) with the emulator at ${project.url}.`,
    '',
    `  client id      ${c.clientId}`,
    ...(c.clientSecret
      ? [`  client secret  ${c.clientSecret}   (shown once: keep it with your app's secrets)`]
      : ['  client secret  none: a public client authenticates with PKCE alone']),
    `  issuer         ${project.url}   (discovery: ${project.url}/.well-known/openid-configuration)`,
    `  redirect URI   ${c.redirectUrls.join(', ')}`,
    '',
    'Configure your relying party with these, start it, then run:',
    '',
    `  npx connected-app conformance ${conformanceFlags(project, c.clientId).join(' ')} \\`,
    '    --rp-login-url <the URL of your app that starts a login> --rp-success-text "<text shown only once signed in>" \\',
    '    --rp-protected-url <a page of your app that only a signed-in person sees>',
    '',
  ].join('\n');
}

export async function clientsCommand(argv: readonly string[], io: ClientsIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h' || rest.includes('--help')) {
    io.stdout.write(`${HELP}\n`);
    return action ? 0 : 2;
  }
  try {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        type: { type: 'string' },
        'redirect-uri': { type: 'string' },
        name: { type: 'string' },
        'client-id': { type: 'string' },
        'emulator-url': { type: 'string' },
        'project-type': { type: 'string' },
        'project-id': { type: 'string' },
        secret: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const project = projectFrom(values);
    if (action === 'create') {
      const type = values.type as ClientType | undefined;
      if (!type || !CLIENT_TYPES.includes(type))
        throw new UsageError(`--type: one of ${CLIENT_TYPES.join(', ')}${values.type ? ` (got "${values.type}")` : ''}`);
      const redirectUris = (values['redirect-uri'] ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (redirectUris.length === 0) throw new UsageError("--redirect-uri: required, your relying party's callback URL, e.g. http://localhost:8080/callback");
      const bad = redirectUris.find((u) => !URL.canParse(u));
      if (bad) throw new UsageError(`--redirect-uri: "${bad}" is not an absolute URL`);
      const created = await callEmulator(project, () => createClient(project, { type, redirectUris, name: values.name ?? 'My relying party' }));
      io.stdout.write(
        values.json
          ? `${JSON.stringify({ ...created, issuer: project.url, conformanceFlags: conformanceFlags(project, created.clientId) }, null, 2)}\n`
          : describeCreated(project, created),
      );
      return 0;
    }
    if (action === 'list') {
      const clients = await callEmulator(project, () => listClients(project));
      if (values.json)
        io.stdout.write(
          `${JSON.stringify(
            clients.map(({ clientSecret: _none, ...c }) => c),
            null,
            2,
          )}\n`,
        );
      else for (const c of clients) io.stdout.write(`${c.clientId}  ${c.type.padEnd(18)}  ${c.name}  ${c.redirectUrls.join(', ')}\n`);
      return 0;
    }
    if (action === 'delete') {
      if (!values['client-id']) throw new UsageError('--client-id: required, the client to delete (see `clients list`)');
      await callEmulator(project, () => deleteClient(project, values['client-id']!));
      io.stdout.write(`Deleted ${values['client-id']}.\n`);
      return 0;
    }
    throw new UsageError(`Unknown action "${action}": create, list or delete.`);
  } catch (err) {
    if (err instanceof EmulatorRefused) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    io.stderr.write(`${errorMessage(err)}\n\nRun \`npx connected-app clients --help\` for the options.\n`);
    return 2;
  }
}

class EmulatorRefused extends Error {}

async function callEmulator<T>(project: ProviderProject, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new EmulatorRefused(
      `The emulator at ${project.url} (project ${project.projectId}) refused or could not be reached: ${errorMessage(err)}. Is it running (\`npx connected-app provider\`)?`,
    );
  }
}

/** The `Command` entry of src/cli/commands.ts. */
export const run: Command['run'] = (argv) => clientsCommand(argv);
