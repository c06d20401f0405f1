/**
 * The whole stack in one process: the local Stytch emulator, the auth-server (the project's Authorization URL)
 * and the client-app (a Connected App), wired to each other; optionally the mcp-server (a resource server
 * that MCP clients sign in to). `npm start`, the Playwright fixture and the
 * benchmarks all boot it through `startStack`.
 *
 * The wiring is circular: the emulator's seed needs the apps' URLs (redirect URLs, Authorization URL) and the
 * apps need the emulator's URL. So the apps' ports are bound first (port 0 = a free port, known at once and
 * held, so that no other process can take it in between), then the emulator starts, then each app is built
 * and attached to its listening socket. Every `/healthz` answers before `startStack` resolves.
 *
 * With `stytch` (your own project) no emulator starts, and the apps talk to Stytch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import * as stytch from 'stytch';
import { createApp as createAuthServer } from '../auth-server/src/app.ts';
import { loadConfig as loadAuthServerConfig } from '../auth-server/src/config.ts';
import { createApp as createClientApp } from '../client-app/src/app.ts';
import { loadClientAppConfig, profilesFor } from '../client-app/src/config.ts';
import { createApp as createMcpServer, loadConfig as loadMcpServerConfig } from '../mcp-server/src/index.ts';
import { DEFAULT_SCOPE, resolveProfiles, type ClientProfile, type ProfileInput } from '../client-app/src/profiles.ts';
import type { Env } from './shared/config.ts';
import { DEFAULT_PORTS, demoLogin, loadDemoSeed, type DemoSeed, type ProjectType } from './shared/demo.ts';
import { ConfigError, errorMessage } from './shared/errors.ts';
import { PortInUseError } from './shared/http.ts';
import { createLogger, type Logger } from './shared/log.ts';
import { quietEmulatorClient } from './shared/stytch-sdk.ts';
import { startEmulator, type RunningEmulator } from './emulator/index.ts';

export type StackPart = 'emulator' | 'auth-server' | 'client-app' | 'mcp-server';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type ClientType = 'first_party' | 'first_party_public' | 'third_party' | 'third_party_public';

export interface StackPorts {
  emulator: number;
  authServer: number;
  clientApp: number;
  mcpServer: number;
}

/**
 * Your own Stytch project, used instead of the emulator (`stytchProjectFromEnv`). The Connected Apps that the
 * client-app signs in with come from its own variables: OIDC_CLIENT_ID… or CLIENT_APP_PROFILES.
 */
export interface StytchProject {
  projectType: ProjectType;
  projectId: string;
  secret: string;
  /** The project domain, e.g. `https://xxx-yyy-1234.customers.stytch.dev`: the SDK's base URL and the issuer. */
  apiUrl: string;
}

export interface StackOptions {
  projectType?: ProjectType;
  /** Default: 9010 (Consumer) or 9011 (B2B), 3000, 3001, 3002. 0 = a free port. */
  ports?: Partial<StackPorts>;
  /** Interface every server listens on. Default `localhost`. */
  host?: string;
  /** Directory for durable data (emulator database, session stores); unset = everything in memory. */
  dataDir?: string;
  logLevel?: LogLevel;
  /** Where each server's log lines go (default: stdout). */
  logDestination?: (part: StackPart) => DestinationStream;
  /** Your own project instead of the emulator. */
  stytch?: StytchProject;
  /** Also start the mcp-server (its MCP endpoint: `urls.mcpServer`). */
  mcpServer?: boolean;
  /** The epoch-seconds clock of the emulator and the mcp-server (tests move it to see tokens expire). */
  now?: () => number;
  /**
   * Environment the apps read the rest of their configuration from (session secrets, REDIS_URL, app name…),
   * as their own `main` would. Ports, URLs and the Stytch project are decided here and override it.
   */
  env?: Env;
  /** The variable named in each "port in use" message (default: the CLI's variables). */
  portVariables?: Partial<Record<keyof StackPorts, string>>;
  /**
   * DANGEROUS, tests only: the emulator accepts Client ID Metadata Documents on loopback over http or self-signed https (the e2e specs
   * serve their documents that way). Logged as a warning.
   */
  allowInsecureClientMetadataUrls?: boolean;
}

/**
 * When a client's authorization shows the consent page, by Stytch's rules (STYTCH-API.md §2.6):
 * `never` (first-party, and no `offline_access` unless the client may bypass consent for it),
 * `always` (`offline_access` requested), `first-time` (third-party: until this scope set was granted once).
 */
export type ConsentPolicy = 'never' | 'always' | 'first-time';

/** One Connected App that the client-app offers, and what its flow looks like. */
export interface StackClient {
  /** The client-app's profile id: `/login?profile=<id>`. */
  profileId: string;
  /** The Connected App's name, as the consent page shows it. */
  name: string;
  /** The profile's label on the client-app's home page ("Log in with <label>"). */
  label: string;
  clientId: string;
  clientType: ClientType;
  confidential: boolean;
  firstParty: boolean;
  scopes: string[];
  consent: ConsentPolicy;
}

export interface Stack {
  projectType: ProjectType;
  urls: {
    /** Open this. */
    clientApp: string;
    authServer: string;
    /** What the Stytch Dashboard calls the Authorization URL. */
    authorizationUrl: string;
    /** The emulator, or your project's domain. */
    stytch: string;
    /** The MCP endpoint (the resource identifier), when the mcp-server runs. */
    mcpServer?: string;
  };
  /** The local emulator; absent with your own project. */
  emulator?: RunningEmulator;
  /** Project credentials the stack runs with (the emulator's demo project, or yours). */
  project: { projectId: string; secret: string };
  clients: StackClient[];
  /** The seeded demo person (emulator only); B2B: with their organization's slug and id. */
  demo?: { email: string; password: string; organization?: string | undefined; organizationId?: string | undefined };
  close(): Promise<void>;
}

export const PORT_VARIABLES: Readonly<Record<keyof StackPorts, string>> = {
  emulator: 'STYTCH_EMULATOR_PORT',
  authServer: 'AUTH_SERVER_PORT',
  clientApp: 'CLIENT_APP_PORT',
  mcpServer: 'MCP_SERVER_PORT',
};

const HEALTH_TIMEOUT_MS = 10_000;

/** Variables the stack decides itself: a stray one in the environment must not point an app elsewhere. */
const STACK_DECIDES = /^(STYTCH_(PROJECT_ID|SECRET|API_URL|PROJECT_TYPE)|(AUTH_SERVER|CLIENT_APP|MCP_SERVER)_(PORT|HOST|PUBLIC_URL|SESSION_DB)|LOG_LEVEL)$/;
/** The client-app's profile variables: read with your own project, ignored with the emulator's demo clients. */
const CLIENT_PROFILE_VARIABLES = /^(OIDC_(ISSUER|CLIENT_ID|CLIENT_SECRET|TOKEN_ENDPOINT_AUTH_METHOD|SCOPES|REDIRECT_URI)|CLIENT_APP_PROFILES)$/;

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const projectType = options.stytch?.projectType ?? options.projectType ?? 'consumer';
  const host = options.host ?? 'localhost';
  const ports: StackPorts = {
    emulator: options.ports?.emulator ?? DEFAULT_PORTS.emulator[projectType],
    authServer: options.ports?.authServer ?? DEFAULT_PORTS.authServer,
    clientApp: options.ports?.clientApp ?? DEFAULT_PORTS.clientApp,
    mcpServer: options.ports?.mcpServer ?? DEFAULT_PORTS.mcpServer,
  };
  const variables = { ...PORT_VARIABLES, ...options.portVariables };
  const logLevel = options.logLevel ?? 'info';
  const logger = (part: StackPart, name: string): Logger => createLogger(name, logLevel, options.logDestination?.(part));
  const env = Object.fromEntries(
    Object.entries(options.env ?? {}).filter(([name]) => !STACK_DECIDES.test(name) && (options.stytch || !CLIENT_PROFILE_VARIABLES.test(name))),
  );
  const dataFile = (name: string) => (options.dataDir ? join(options.dataDir, name) : ':memory:');

  // Stopped in reverse order by `close()`, or as soon as a later step fails.
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    const authSocket = await bindPort(ports.authServer, host, variables.authServer);
    stops.push(authSocket.close);
    const clientSocket = await bindPort(ports.clientApp, host, variables.clientApp);
    stops.push(clientSocket.close);
    const mcpSocket = options.mcpServer ? await bindPort(ports.mcpServer, host, variables.mcpServer) : undefined;
    if (mcpSocket) stops.push(mcpSocket.close);
    const seedUrls = { authServerUrl: authSocket.url, clientAppUrl: clientSocket.url };

    let emulator: RunningEmulator | undefined;
    let project: StytchProject;
    let seed: DemoSeed | undefined;
    if (options.stytch) {
      project = options.stytch;
    } else {
      seed = loadDemoSeed(projectType, seedUrls);
      emulator = await startEmulator({
        projectType,
        port: ports.emulator,
        host,
        db: dataFile(`emulator-${projectType}.db`),
        seedUrls,
        logger: logger('emulator', `emulator:${projectType}`),
        portVariable: variables.emulator,
        ...(options.now ? { now: options.now } : {}),
        ...(options.allowInsecureClientMetadataUrls ? { allowInsecureClientMetadataUrls: true } : {}),
      });
      stops.push(emulator.close);
      project = { projectType, projectId: emulator.projectId, secret: emulator.secret, apiUrl: emulator.url };
    }

    const authConfig = loadAuthServerConfig({
      ...env,
      AUTH_SERVER_PORT: String(authSocket.port),
      AUTH_SERVER_HOST: host,
      AUTH_SERVER_SESSION_DB: dataFile('auth-server-sessions.db'),
      LOG_LEVEL: logLevel,
      STYTCH_PROJECT_TYPE: projectType,
      STYTCH_API_URL: project.apiUrl,
      // Without credentials the auth-server runs the emulator's demo project (and shows its demo account).
      ...(options.stytch ? { STYTCH_PROJECT_ID: project.projectId, STYTCH_SECRET: project.secret } : {}),
    });
    const authServer = await createAuthServer({ ...authConfig, publicUrl: authSocket.url }, { log: logger('auth-server', 'auth-server') });
    stops.push(authServer.close);
    authSocket.server.on('request', authServer.app);

    const clientConfig = loadClientAppConfig({
      ...env,
      CLIENT_APP_PORT: String(clientSocket.port),
      CLIENT_APP_HOST: host,
      CLIENT_APP_SESSION_DB: dataFile('client-app-sessions.db'),
      LOG_LEVEL: logLevel,
      // Your project's domain is the issuer of its Connected Apps.
      ...(options.stytch && !env.CLIENT_APP_PROFILES ? { OIDC_ISSUER: env.OIDC_ISSUER ?? project.apiUrl } : {}),
    });
    if (options.stytch && !env.CLIENT_APP_PROFILES && !env.OIDC_CLIENT_ID) {
      throw new ConfigError('client-app', [
        'OIDC_CLIENT_ID: required with your own project: the client ID of a Connected App (Dashboard → Connected Apps), ' +
          'plus OIDC_CLIENT_SECRET for a confidential client; or CLIENT_APP_PROFILES naming a profile file',
      ]);
    }
    const demoInputs = seed ? demoProfiles(seed, project.apiUrl) : undefined;
    const profiles = demoInputs ? resolveProfiles(demoInputs, clientSocket.url, env) : profilesFor(clientConfig, clientSocket.url);
    const clientApp = await createClientApp(
      { ...clientConfig, publicUrl: clientSocket.url, profiles },
      { logger: logger('client-app', 'client-app') },
    );
    stops.push(clientApp.close);
    clientSocket.server.on('request', clientApp.app);

    let mcpResource: string | undefined;
    if (mcpSocket) {
      const mcpConfig = loadMcpServerConfig({
        ...env,
        MCP_SERVER_PORT: String(mcpSocket.port),
        MCP_SERVER_HOST: host,
        MCP_SERVER_PUBLIC_URL: mcpSocket.url,
        LOG_LEVEL: logLevel,
        STYTCH_PROJECT_TYPE: projectType,
        STYTCH_API_URL: project.apiUrl,
        ...(options.stytch ? { STYTCH_PROJECT_ID: project.projectId, STYTCH_SECRET: project.secret } : {}),
      });
      const mcpServer = await createMcpServer(mcpConfig, { log: logger('mcp-server', 'mcp-server'), ...(options.now ? { now: options.now } : {}) });
      stops.push(mcpServer.close);
      mcpSocket.server.on('request', mcpServer.app);
      mcpResource = mcpConfig.resource;
    }

    await Promise.all([authSocket.url, clientSocket.url, ...(mcpSocket ? [mcpSocket.url] : []), ...(emulator ? [emulator.url] : [])].map(waitHealthy));

    const clients = seed ? describeDemoClients(seed, profiles) : await describeClients(project, profiles);
    const login = seed ? demoLogin(seed) : undefined;
    return {
      projectType,
      urls: {
        clientApp: clientSocket.url,
        authServer: authSocket.url,
        authorizationUrl: `${authSocket.url}/oauth/authorize`,
        stytch: project.apiUrl.replace(/\/+$/, ''),
        ...(mcpResource ? { mcpServer: mcpResource } : {}),
      },
      ...(emulator ? { emulator } : {}),
      project: { projectId: project.projectId, secret: project.secret },
      clients,
      ...(login ? { demo: { email: login.email, password: login.password, organization: login.organizationSlug, organizationId: login.organizationId } } : {}),
      close: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Your own project from the environment (and `.env`): STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_API_URL (the
 * project domain) and STYTCH_PROJECT_TYPE. Undefined when neither STYTCH_PROJECT_ID nor STYTCH_SECRET is set;
 * a ConfigError naming every missing variable when only some are.
 */
export function stytchProjectFromEnv(env: Env): StytchProject | undefined {
  const get = (name: string) => env[name]?.trim() || undefined;
  if (!get('STYTCH_PROJECT_ID') && !get('STYTCH_SECRET')) return undefined;
  const problems: string[] = [];
  const need = (name: string, where: string) => {
    const value = get(name);
    if (!value) problems.push(`${name}: required with your own project (${where})`);
    return value ?? '';
  };
  const projectId = need('STYTCH_PROJECT_ID', 'Dashboard → Project settings → Project ID');
  const secret = need('STYTCH_SECRET', 'Dashboard → API keys → Secret');
  const apiUrl = need('STYTCH_API_URL', 'the project domain, e.g. https://xxx-yyy-1234.customers.stytch.dev, from Dashboard → Project settings');
  const projectType = get('STYTCH_PROJECT_TYPE') ?? 'consumer';
  if (projectType !== 'consumer' && projectType !== 'b2b') problems.push(`STYTCH_PROJECT_TYPE: must be consumer or b2b (got "${projectType}")`);
  if (problems.length) throw new ConfigError('your Stytch project', problems);
  return { projectType: projectType as ProjectType, projectId, secret, apiUrl };
}

/** Stytch's consent rules for a client and the scopes it asks for (STYTCH-API.md §2.6). */
export function consentPolicy(clientType: ClientType, scopes: readonly string[], bypassConsentForOfflineAccess = false): ConsentPolicy {
  const firstParty = clientType.startsWith('first_party');
  if (scopes.includes('offline_access') && !(firstParty && bypassConsentForOfflineAccess)) return 'always';
  return firstParty ? 'never' : 'first-time';
}

type SeedClient = DemoSeed['clients'][number] & { bypass_consent_for_offline_access?: boolean };

/**
 * The demo seed's four clients as client-app profiles, one of each kind, each with a different consent
 * behaviour: Insight Analytics (third-party, confidential) asks for `offline_access`, so it asks for consent
 * every time; the first-party apps ask for `offline_access` only when the seed lets them bypass consent for
 * it, so they never show the consent page; Pocket Notes (third-party, public) asks once per scope set.
 */
function demoProfiles(seed: DemoSeed, issuer: string): ProfileInput[] {
  const order: ClientType[] = ['third_party', 'first_party_public', 'first_party', 'third_party_public'];
  const base = DEFAULT_SCOPE.split(' ').filter((s) => s !== 'offline_access');
  return order.flatMap((type) =>
    (seed.clients as SeedClient[])
      .filter((c) => c.client_type === type)
      .map((c) => {
        const offline = type === 'third_party' || (type.startsWith('first_party') && c.bypass_consent_for_offline_access === true);
        return {
          id: slug(c.client_name),
          label: c.client_name,
          description: `${c.client_secret ? 'Confidential' : 'Public'} ${type.startsWith('third') ? 'third-party' : 'first-party'} client${c.client_secret ? ' (client_secret_basic + PKCE)' : ' (PKCE only, no secret)'}.`,
          issuer,
          client_id: c.client_id,
          ...(c.client_secret ? { client_secret: c.client_secret, token_endpoint_auth_method: 'client_secret_basic' as const } : { token_endpoint_auth_method: 'none' as const }),
          scope: [...base, ...(offline ? ['offline_access'] : [])].join(' '),
          redirect_uri: c.redirect_urls[0]!,
        };
      }),
  );
}

function describeDemoClients(seed: DemoSeed, profiles: readonly ClientProfile[]): StackClient[] {
  return profiles.map((p) => {
    const c = (seed.clients as SeedClient[]).find((x) => x.client_id === p.clientId)!;
    return describe(p, c.client_type, c.client_name, c.bypass_consent_for_offline_access ?? false);
  });
}

/** With your own project, each profile's client type comes from Stytch (which also proves the credentials). */
async function describeClients(project: StytchProject, profiles: readonly ClientProfile[]): Promise<StackClient[]> {
  const base = project.apiUrl.replace(/\/+$/, '');
  // The SDK insists on https for custom_base_url; a plain-http URL can only be a local emulator (loopback).
  const config = { project_id: project.projectId, secret: project.secret, ...(base.startsWith('https:') ? { custom_base_url: base } : { env: `${base}/` }) };
  const api = quietEmulatorClient(() => (project.projectType === 'b2b' ? new stytch.B2BClient(config) : new stytch.Client(config)));
  return Promise.all(
    profiles.map(async (p) => {
      try {
        const { connected_app: app } = await api.connectedApp.clients.get({ client_id: p.clientId });
        return describe(p, app.client_type as ClientType, app.client_name, app.bypass_consent_for_offline_access);
      } catch (err) {
        throw new ConfigError('client-app', [
          `profile "${p.id}": Stytch does not know the Connected App ${p.clientId} in project ${project.projectId} (${errorMessage(err)}). Check the client ID.`,
        ]);
      }
    }),
  );
}

function describe(p: ClientProfile, clientType: ClientType, name: string, bypass: boolean): StackClient {
  return {
    profileId: p.id,
    name,
    label: p.label,
    clientId: p.clientId,
    clientType,
    confidential: p.authMethod !== 'none',
    firstParty: clientType.startsWith('first_party'),
    scopes: p.scopes,
    consent: consentPolicy(clientType, p.scopes, bypass),
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

interface BoundPort {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0 = a free one) with no request handler yet: the app is attached once it is built. */
async function bindPort(port: number, host: string, variable: string): Promise<BoundPort> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : err));
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    port: actual,
    url: `http://${urlHost}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function waitHealthy(baseUrl: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = errorMessage(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${baseUrl}/healthz did not answer within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}
