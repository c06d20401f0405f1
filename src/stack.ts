/**
 * The whole stack in one process: the local Stytch emulator, the auth-server (the project's Authorization URL)
 * and the client-app (a Connected App), wired to each other, and the mcp-server (a resource server that MCP
 * clients sign in to) when asked for. This is the one place that assembles them: `npm start`, verify's local
 * project, the benchmark (one part per process), the Playwright fixture, the conformance tests and every
 * integration and scale test boot them through `startStack`, any subset of the parts at a time (`parts`), the
 * others named by URL (`urls`).
 *
 * The wiring is circular: the emulator's seed needs the apps' URLs (redirect URLs, Authorization URL) and the
 * apps need the emulator's URL. So the apps' ports are bound first (port 0 = a free port, known at once and
 * held, so that no other process can take it in between), then the emulator starts, then each app is built
 * and attached to its listening socket; until then the port answers 503 with Retry-After (`bindPort`).
 * Every `/healthz` answers before `startStack` resolves.
 *
 * With `stytch` (your own project) no emulator starts, and the apps talk to Stytch.
 *
 * Each part's code is imported only when that part starts here (at the beginning, the emulator's first): a process
 * that runs one part (the benchmark's, a container's) does not load the others' modules and dependencies.
 */
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import type { ClientProfile, CreateAppOptions as ClientAppOptions, ProfileInput } from '../client-app/src/index.ts';
import type { Env } from './shared/config.ts';
import { DEFAULT_PORTS, DEFAULT_SEED_URLS, demoLogin, demoSeedPath, loadDemoSeed, type DemoSeed } from './shared/demo.ts';
import { parseStytchProject, type ProjectType, type StytchProject } from './shared/project.ts';
import { ConfigError, errorMessage } from './shared/errors.ts';
import { bindPort, type BoundPort } from './shared/http.ts';
import { createLogger, type Logger } from './shared/log.ts';
import { sdkBaseUrl } from './shared/stytch-project.ts';
import { quietEmulatorClient } from './shared/stytch-sdk.ts';
import type { EmulatorOptions, RunningEmulator, SeedDocument } from './emulator/index.ts';

/** The parts `startStack` can start. */
export type StackPart = 'emulator' | 'auth-server' | 'client-app' | 'mcp-server';
export const STACK_PARTS: readonly StackPart[] = ['emulator', 'auth-server', 'client-app', 'mcp-server'];
/** What starts when `parts` is not given: the OAuth flow of a Connected App (the mcp-server is asked for). */
export const DEFAULT_PARTS: readonly StackPart[] = ['emulator', 'auth-server', 'client-app'];
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type ClientType = 'first_party' | 'first_party_public' | 'third_party' | 'third_party_public';

export interface StackPorts {
  emulator: number;
  authServer: number;
  clientApp: number;
  mcpServer: number;
}

/** Your own Stytch project, used instead of the emulator (`stytchProjectFromEnv`). The Connected Apps that the
 * client-app signs in with come from its own variables: OIDC_CLIENT_ID… or CLIENT_APP_PROFILES. */
export type { StytchProject };

/** Where a part is reached, when it is not started here or sits behind a proxy. */
export interface StackUrls {
  /** A running emulator (its demo project), used when the `emulator` part is not started. */
  stytch: string;
  authServer: string;
  clientApp: string;
}

export interface StackOptions {
  /** The parts to start (default: `DEFAULT_PARTS`; add `mcp-server` for the MCP server, its endpoint in `urls.mcpServer`). */
  parts?: readonly StackPart[];
  projectType?: ProjectType;
  /** Default: 9010 (Consumer) or 9011 (B2B), 3000, 3001, 3002. 0 = a free port. */
  ports?: Partial<StackPorts>;
  /** Interface every server listens on. Default `localhost`. */
  host?: string;
  /**
   * Public URLs: of a part not started here (the seed and the other parts point there; default: the demo's
   * ports), or of a proxy in front of a part that is (it then listens on its own port, see `Stack.listening`).
   */
  urls?: Partial<StackUrls>;
  /** Directory for durable data (emulator database, session stores); unset = everything in memory. */
  dataDir?: string;
  /** The emulator's seed, in place of the demo seed of the project type. */
  seed?: SeedDocument;
  /** Changes to the seed before the emulator loads it, as a Dashboard user would make them (e.g. RBAC scopes). */
  editSeed?: (seed: SeedDocument) => void;
  /** Emulator settings a test may tighten or loosen. */
  emulator?: Pick<EmulatorOptions, 'passwordLoginLimit' | 'tokenEndpointLimit'>;
  /** Client-app settings for tests: the demo profiles changed, a traced fetch, no rate limits, a shorter timeout. */
  clientApp?: Pick<ClientAppOptions, 'fetch' | 'dangerouslyDisableRateLimits'> & {
    profiles?: (demo: ProfileInput[]) => ProfileInput[];
    httpTimeoutMs?: number;
  };
  /** One level for every part, or one per part (unlisted parts: `info`). */
  logLevel?: LogLevel | Partial<Record<StackPart, LogLevel>>;
  /** Where each server's log lines go (default: stdout). */
  logDestination?: (part: StackPart) => DestinationStream;
  /** Your own project instead of the emulator. */
  stytch?: StytchProject;
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
 * When a client's authorization shows the consent page, by Stytch's rules (ST-CONSENT):
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
  /** Where each part started here listens (differs from `urls` behind a proxy). */
  listening: Partial<Record<StackPart, string>>;
  /** The local emulator, when started here; absent with your own project. */
  emulator?: RunningEmulator;
  /** The seed of the emulator's project (absent with your own project). */
  seed?: DemoSeed;
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
  const parts = new Set(options.parts ?? DEFAULT_PARTS);
  const projectType = options.stytch?.projectType ?? options.projectType ?? 'consumer';
  const host = options.host ?? 'localhost';
  const ports: StackPorts = {
    emulator: options.ports?.emulator ?? DEFAULT_PORTS.emulator[projectType],
    authServer: options.ports?.authServer ?? DEFAULT_PORTS.authServer,
    clientApp: options.ports?.clientApp ?? DEFAULT_PORTS.clientApp,
    mcpServer: options.ports?.mcpServer ?? DEFAULT_PORTS.mcpServer,
  };
  const variables = { ...PORT_VARIABLES, ...options.portVariables };
  const levelOf = (part: StackPart): LogLevel => (typeof options.logLevel === 'string' ? options.logLevel : options.logLevel?.[part]) ?? 'info';
  const logger = (part: StackPart, name: string): Logger => createLogger(name, levelOf(part), options.logDestination?.(part));
  const env = Object.fromEntries(
    Object.entries(options.env ?? {}).filter(([name]) => !STACK_DECIDES.test(name) && (options.stytch || !CLIENT_PROFILE_VARIABLES.test(name))),
  );
  const dataFile = (name: string) => (options.dataDir ? join(options.dataDir, name) : ':memory:');
  // The emulator's code first, then the apps': the emulator starts as soon as its code is there, and its key
  // generation (a fresh data directory), which runs on the thread pool, overlaps the apps' loading. Imported side
  // by side, the emulator's import finished with the last of them. Each is awaited where its part starts.
  const emulatorCode = parts.has('emulator') || options.editSeed ? import('./emulator/index.ts') : undefined;
  const afterEmulator = Promise.allSettled([emulatorCode]);
  const code = {
    emulator: emulatorCode,
    authServer: parts.has('auth-server') ? afterEmulator.then(() => import('../auth-server/src/index.ts')) : undefined,
    clientApp: parts.has('client-app') ? afterEmulator.then(() => import('../client-app/src/index.ts')) : undefined,
    mcpServer: parts.has('mcp-server') ? afterEmulator.then(() => import('../mcp-server/src/index.ts')) : undefined,
  };
  // A part that does not start never has its import awaited: its failure is reported where it is awaited, if at all.
  for (const loading of Object.values(code)) loading?.catch(() => undefined);

  // Stopped in reverse order by `close()`, or as soon as a later step fails.
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };

  try {
    let authSocket: BoundPort | undefined;
    if (parts.has('auth-server')) {
      authSocket = await bindPort(ports.authServer, host, variables.authServer);
      stops.push(authSocket.close);
    }
    let clientSocket: BoundPort | undefined;
    if (parts.has('client-app')) {
      clientSocket = await bindPort(ports.clientApp, host, variables.clientApp);
      stops.push(clientSocket.close);
    }
    let mcpSocket: BoundPort | undefined;
    if (parts.has('mcp-server')) {
      mcpSocket = await bindPort(ports.mcpServer, host, variables.mcpServer);
      stops.push(mcpSocket.close);
    }
    const authServerUrl = options.urls?.authServer ?? authSocket?.url ?? DEFAULT_SEED_URLS.authServerUrl;
    const clientAppUrl = options.urls?.clientApp ?? clientSocket?.url ?? DEFAULT_SEED_URLS.clientAppUrl;
    const seedUrls = { authServerUrl, clientAppUrl };

    let emulator: RunningEmulator | undefined;
    let project: StytchProject;
    let seed: DemoSeed | undefined;
    if (options.stytch) {
      project = options.stytch;
    } else {
      let document = options.seed;
      if (options.editSeed) {
        document ??= (await code.emulator!).loadSeedFile(demoSeedPath(projectType), seedUrls);
        options.editSeed(document);
      }
      seed = (document as DemoSeed | undefined) ?? loadDemoSeed(projectType, seedUrls);
      if (parts.has('emulator')) {
        const { startEmulator } = await code.emulator!;
        emulator = await startEmulator({
          projectType,
          port: ports.emulator,
          host,
          db: dataFile(`emulator-${projectType}.db`),
          seedUrls,
          ...(document ? { seed: document } : {}),
          ...options.emulator,
          logger: logger('emulator', `emulator:${projectType}`),
          portVariable: variables.emulator,
          ...(options.now ? { now: options.now } : {}),
          ...(options.allowInsecureClientMetadataUrls ? { allowInsecureClientMetadataUrls: true } : {}),
        });
        stops.push(emulator.close);
        project = { projectType, projectId: emulator.projectId, secret: emulator.secret, apiUrl: emulator.url };
      } else {
        const apiUrl = options.urls?.stytch;
        if (!apiUrl) throw new Error('startStack: without the emulator part, urls.stytch names the running emulator (or pass stytch: your project)');
        project = { projectType, projectId: seed.project.project_id, secret: seed.project.secret, apiUrl };
      }
    }

    // The Stytch project of the apps that call it (auth-server, mcp-server). Without credentials they run the
    // emulator's demo project (and the auth-server shows its demo account).
    const projectVariables = {
      STYTCH_PROJECT_TYPE: projectType,
      STYTCH_API_URL: project.apiUrl,
      ...(options.stytch || options.seed ? { STYTCH_PROJECT_ID: project.projectId, STYTCH_SECRET: project.secret } : {}),
    };

    if (authSocket) {
      const { createApp: createAuthServer, loadConfig: loadAuthServerConfig } = await code.authServer!;
      const authConfig = loadAuthServerConfig({
        ...env,
        AUTH_SERVER_PORT: String(authSocket.port),
        AUTH_SERVER_HOST: host,
        AUTH_SERVER_SESSION_DB: dataFile('auth-server-sessions.db'),
        LOG_LEVEL: levelOf('auth-server'),
        ...projectVariables,
      });
      const authServer = await createAuthServer({ ...authConfig, publicUrl: authServerUrl }, { log: logger('auth-server', 'auth-server') });
      stops.push(authServer.close);
      authSocket.attach(authServer.app);
    }

    let profiles: readonly ClientProfile[] = [];
    if (clientSocket) {
      const { createApp: createClientApp, demoProfiles, loadClientAppConfig, profilesFor, resolveProfiles } = await code.clientApp!;
      const clientConfig = loadClientAppConfig({
        ...env,
        CLIENT_APP_PORT: String(clientSocket.port),
        CLIENT_APP_HOST: host,
        CLIENT_APP_SESSION_DB: dataFile('client-app-sessions.db'),
        LOG_LEVEL: levelOf('client-app'),
        // Your project's domain is the issuer of its Connected Apps.
        ...(options.stytch && !env.CLIENT_APP_PROFILES ? { OIDC_ISSUER: env.OIDC_ISSUER ?? project.apiUrl } : {}),
      });
      if (options.stytch && !env.CLIENT_APP_PROFILES && !env.OIDC_CLIENT_ID) {
        throw new ConfigError('client-app', [
          'OIDC_CLIENT_ID: required with your own project: the client ID of a Connected App (Dashboard → Connected Apps), ' +
            'plus OIDC_CLIENT_SECRET for a confidential client; or CLIENT_APP_PROFILES naming a profile file',
        ]);
      }
      const demoInputs = seed ? demoProfiles({ seed, issuer: project.apiUrl, clientAppUrl }) : undefined;
      const inputs = demoInputs && options.clientApp?.profiles ? options.clientApp.profiles(demoInputs) : demoInputs;
      profiles = inputs ? resolveProfiles(inputs, clientAppUrl, env) : profilesFor(clientConfig, clientAppUrl);
      const { httpTimeoutMs, profiles: _edit, ...appOptions } = options.clientApp ?? {};
      const clientApp = await createClientApp(
        { ...clientConfig, ...(httpTimeoutMs ? { httpTimeoutMs } : {}), publicUrl: clientAppUrl, profiles },
        { ...appOptions, logger: logger('client-app', 'client-app') },
      );
      stops.push(clientApp.close);
      clientSocket.attach(clientApp.app);
    }

    let mcpResource: string | undefined;
    if (mcpSocket) {
      const { createApp: createMcpServer, loadConfig: loadMcpServerConfig } = await code.mcpServer!;
      const mcpConfig = loadMcpServerConfig({
        ...env,
        MCP_SERVER_PORT: String(mcpSocket.port),
        MCP_SERVER_HOST: host,
        MCP_SERVER_PUBLIC_URL: mcpSocket.url,
        LOG_LEVEL: levelOf('mcp-server'),
        ...projectVariables,
      });
      const mcpServer = await createMcpServer(mcpConfig, { log: logger('mcp-server', 'mcp-server'), ...(options.now ? { now: options.now } : {}) });
      stops.push(mcpServer.close);
      mcpSocket.attach(mcpServer.app);
      mcpResource = mcpConfig.resource;
    }

    const listening = {
      ...(emulator ? { emulator: emulator.url } : {}),
      ...(authSocket ? { 'auth-server': authSocket.url } : {}),
      ...(clientSocket ? { 'client-app': clientSocket.url } : {}),
      ...(mcpSocket ? { 'mcp-server': mcpSocket.url } : {}),
    };
    await Promise.all(Object.values(listening).map(waitHealthy));

    const clients = seed ? describeDemoClients(seed, profiles) : await describeClients(project, profiles);
    const login = seed ? demoLogin(seed) : undefined;
    return {
      projectType,
      urls: {
        clientApp: clientAppUrl,
        authServer: authServerUrl,
        authorizationUrl: `${authServerUrl}/oauth/authorize`,
        stytch: project.apiUrl.replace(/\/+$/, ''),
        ...(mcpResource ? { mcpServer: mcpResource } : {}),
      },
      listening,
      ...(emulator ? { emulator } : {}),
      ...(seed ? { seed } : {}),
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
  return parseStytchProject(env);
}

/** Stytch's consent rules for a client and the scopes it asks for (ST-CONSENT). */
export function consentPolicy(clientType: ClientType, scopes: readonly string[], bypassConsentForOfflineAccess = false): ConsentPolicy {
  const firstParty = clientType.startsWith('first_party');
  if (scopes.includes('offline_access') && !(firstParty && bypassConsentForOfflineAccess)) return 'always';
  return firstParty ? 'never' : 'first-time';
}

type SeedClient = DemoSeed['clients'][number] & { bypass_consent_for_offline_access?: boolean };

function describeDemoClients(seed: DemoSeed, profiles: readonly ClientProfile[]): StackClient[] {
  return profiles.map((p) => {
    const c = (seed.clients as SeedClient[]).find((x) => x.client_id === p.clientId)!;
    return describe(p, c.client_type, c.client_name, c.bypass_consent_for_offline_access ?? false);
  });
}

/** With your own project, each profile's client type comes from Stytch (which also proves the credentials). */
async function describeClients(project: StytchProject, profiles: readonly ClientProfile[]): Promise<StackClient[]> {
  const stytch = await import('stytch');
  const config = { project_id: project.projectId, secret: project.secret, ...sdkBaseUrl(`${project.apiUrl.replace(/\/+$/, '')}/`) };
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
