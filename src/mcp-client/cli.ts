/**
 * `npx connected-app mcp-client <mcp-server-url>`: an MCP client on the command line, on the path a CLI agent
 * (Claude Code, an MCP CLI) takes: it starts at the server's URL, gets the 401, finds the authorization server
 * in the protected resource metadata, registers itself (DCR by default, or a Client ID Metadata Document, or a
 * pre-registered client id), prints the Authorization URL (and opens it with --open), waits on a loopback
 * callback on a random port, then lists the tools, calls one and prints its result.
 *
 * Exit codes: 0 when the tool answered, 1 when the sign-in or the call failed, 2 for invalid options.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { errorMessage } from '../shared/errors.ts';
import { AuthorizationError, startLoopbackCallback } from './loopback.ts';
import { CliOAuthClientProvider } from './provider.ts';
import { connectMcp } from './session.ts';
import { fileStore, memoryStore } from './store.ts';

/** Where the registration and tokens of each MCP server are kept between runs, as a CLI agent keeps them. */
export const DEFAULT_STATE_DIR = '.data/mcp-client';

const HELP = `Usage: npx connected-app mcp-client <mcp-server-url> [options]

Signs in to an MCP server as a CLI agent does (OAuth through the server's authorization server), lists its
tools, calls one and prints the result. With npm start running: npx connected-app mcp-client http://localhost:3002/mcp

Options:
  --tool NAME                  the tool to call (default whoami)
  --arguments JSON             its arguments, a JSON object (default {})
  --client-id ID               a pre-registered client (public, with http://127.0.0.1/callback registered)
  --client-metadata-url URL    an https URL serving this client's Client ID Metadata Document (CIMD)
  --open                       open the Authorization URL in the system browser
  --timeout SECONDS            how long to wait for the sign-in (default 300)
  --state-dir DIR              where the registration and tokens are kept between runs (default ${DEFAULT_STATE_DIR}, files 0600)
  --no-store                   keep nothing: sign in again next time
  --forget                     forget what was kept for this server first
Without --client-id or --client-metadata-url the client registers itself (Dynamic Client Registration).`;

export interface McpClientIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Sends the person to the Authorization URL; default: print it (and open it with --open). */
  openAuthorizationUrl?: (url: URL) => void | Promise<void>;
}

const consoleIo: McpClientIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

function openInBrowser(url: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  const child = spawn(cmd!, args, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

export async function runMcpClient(argv: string[], io: McpClientIo = consoleIo): Promise<number> {
  let serverUrl: URL;
  let options: {
    tool: string;
    arguments: Record<string, unknown>;
    clientId?: string | undefined;
    clientMetadataUrl?: string | undefined;
    open: boolean;
    timeoutMs: number;
    stateDir: string | undefined;
    forget: boolean;
  };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tool: { type: 'string', default: 'whoami' },
        arguments: { type: 'string', default: '{}' },
        'client-id': { type: 'string' },
        'client-metadata-url': { type: 'string' },
        open: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '300' },
        'state-dir': { type: 'string', default: DEFAULT_STATE_DIR },
        'no-store': { type: 'boolean', default: false },
        forget: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new Error('Give exactly one MCP server URL, e.g. http://localhost:3002/mcp');
    if (!URL.canParse(positionals[0]!) || !/^https?:$/.test(new URL(positionals[0]!).protocol)) throw new Error(`"${positionals[0]}" is not an http(s) URL`);
    serverUrl = new URL(positionals[0]!);
    let args: unknown;
    try {
      args = JSON.parse(values.arguments);
    } catch {
      throw new Error(`--arguments must be a JSON object (got ${values.arguments})`);
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) throw new Error(`--arguments must be a JSON object (got ${values.arguments})`);
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new Error(`--timeout must be a number of seconds (got ${values.timeout})`);
    if (values['client-id'] && values['client-metadata-url']) throw new Error('--client-id and --client-metadata-url are two ways to be a client: give one');
    options = {
      tool: values.tool,
      arguments: args as Record<string, unknown>,
      clientId: values['client-id'],
      clientMetadataUrl: values['client-metadata-url'],
      open: values.open,
      timeoutMs: timeout * 1000,
      stateDir: values['no-store'] ? undefined : values['state-dir'],
      forget: values.forget,
    };
  } catch (err) {
    io.err(`${errorMessage(err)}\n\n${HELP}`);
    return 2;
  }

  const store = options.stateDir ? fileStore(options.stateDir, serverUrl.href) : memoryStore();
  if (options.forget) store.clear();
  const callback = await startLoopbackCallback();
  let signedIn = false;
  const provider = new CliOAuthClientProvider({
    callback,
    store,
    clientName: 'connected-app mcp-client',
    timeoutMs: options.timeoutMs,
    ...(options.clientId ? { preRegistered: { client_id: options.clientId } } : {}),
    ...(options.clientMetadataUrl ? { clientMetadataUrl: options.clientMetadataUrl } : {}),
    openAuthorizationUrl: async (url) => {
      signedIn = true;
      io.out(`\nSign in: open this URL in your browser (the answer comes back to ${callback.redirectUrl}):\n\n  ${url.href}\n`);
      if (io.openAuthorizationUrl) await io.openAuthorizationUrl(url);
      else if (options.open) openInBrowser(url.href);
    },
  });
  io.out(`MCP server  ${serverUrl.href}`);
  try {
    const session = await connectMcp(serverUrl, provider);
    const client = provider.clientInformation();
    const how = options.clientId ? 'pre-registered' : client?.client_id === options.clientMetadataUrl ? 'Client ID Metadata Document' : 'registered by DCR';
    const kept = signedIn ? '' : ` · kept from an earlier run (${options.stateDir}; --forget to sign in again)`;
    io.out(`Signed in · client ${client?.client_id} (${how}) · scope "${provider.tokens()?.scope ?? ''}"${kept}`);
    const tools = await session.listTools();
    const width = Math.max(0, ...tools.map((t) => t.name.length));
    io.out('Tools');
    for (const t of tools) io.out(`  ${t.name.padEnd(width)}  ${t.description ?? ''}`);
    io.out(`\n${options.tool} ${JSON.stringify(options.arguments)}`);
    const result = await session.callTool(options.tool, options.arguments);
    for (const c of result.content) io.out(c.type === 'text' ? c.text : JSON.stringify(c));
    await session.close();
    return result.isError ? 1 : 0;
  } catch (err) {
    io.err(`mcp-client: ${explain(err, serverUrl)}`);
    return 1;
  } finally {
    await callback.close();
  }
}

/** What went wrong, in terms of what to do about it. */
function explain(err: unknown, serverUrl: URL): string {
  if (err instanceof AuthorizationError) {
    return err.error === 'access_denied' ? 'the sign-in was refused at the consent page (access_denied).' : `the sign-in failed: ${err.message}.`;
  }
  const message = errorMessage(err);
  if (/fetch failed|ECONNREFUSED/.test(message)) return `nothing answers at ${serverUrl.origin}. Is the MCP server running (npm start)?`;
  return message;
}

export async function run(argv: string[]): Promise<number> {
  return runMcpClient(argv);
}
