/**
 * What the auth-server's integration tests need, started by the one stack module (`src/stack.ts`) in-process on
 * free ports: the local Stytch emulator (demo seed) and the auth-server configured against it as `main.ts` would
 * be; plus the requests a Connected App would make, and the SDK a Dashboard user would use.
 */
import { createHash, randomBytes } from 'node:crypto';
import { B2BClient, Client } from 'stytch';
import type { EmulatorOptions, RunningEmulator, SeedDocument } from '../../../src/emulator/index.ts';
import type { DemoSeed } from '../../../src/shared/demo.ts';
import type { ProjectType } from '../../../src/shared/project.ts';
import { quietEmulatorClient } from '../../../src/shared/stytch-sdk.ts';
import { startStack as startParts, type LogLevel, type StackOptions as PartsOptions } from '../../../src/stack.ts';
import { Browser, hiddenField, type Page } from '../../../test/support/browser.ts';

/** The client-app is never started: its registered callback only has to be a URL the tests recognise. */
export const CLIENT_APP_URL = 'http://localhost:3001';
export const REDIRECT_URI = `${CLIENT_APP_URL}/callback`;

type SeedClient = DemoSeed['clients'][number];

export interface AuthServer {
  url: string;
  close(): Promise<void>;
}

export interface Stack {
  type: ProjectType;
  emulator: RunningEmulator;
  authServer: AuthServer;
  seed: DemoSeed;
  login: { email: string; password: string; organization?: string };
  clients: Record<'firstParty' | 'firstPartyPublic' | 'thirdParty' | 'thirdPartyPublic', SeedClient>;
  /** The real SDK with the project's credentials, for the setup a Dashboard user would do. */
  sdk: Client | B2BClient;
  /** Every Stytch API call the auth-server made, as `METHOD /path`. */
  stytchCalls: string[];
  close(): Promise<void>;
}

/** The auth-server's logging: `logLines` collects its JSON lines (redaction included), at debug level. */
function logging(logLines: string[] | undefined): Pick<PartsOptions, 'logLevel' | 'logDestination'> {
  const level = (process.env.LOG_LEVEL ?? 'silent') as LogLevel;
  if (!logLines) return { logLevel: { emulator: 'silent', 'auth-server': level } };
  return {
    logLevel: { emulator: 'silent', 'auth-server': 'debug' },
    logDestination: (part) => (part === 'auth-server' ? { write: (line: string) => void logLines.push(line) } : process.stdout),
  };
}

/** Generous: the machine is shared, and the emulator hashes passwords with scrypt. */
const STYTCH_TIMEOUT_MS = '30000';

/**
 * Starts the auth-server alone against any Stytch base URL (a stopped one, to test outages). `env`: its extra
 * environment variables (AUTH_SERVER_PUBLIC_URL: the public URL in front of it).
 */
export async function startAuthServer(
  type: ProjectType,
  stytchUrl: string,
  opts: { logLines?: string[]; env?: Record<string, string> } = {},
): Promise<AuthServer> {
  const { AUTH_SERVER_PUBLIC_URL: publicUrl, ...env } = opts.env ?? {};
  const stack = await startParts({
    parts: ['auth-server'],
    projectType: type,
    ports: { authServer: 0 },
    urls: { stytch: stytchUrl, clientApp: CLIENT_APP_URL, ...(publicUrl ? { authServer: publicUrl } : {}) },
    env: { STYTCH_TIMEOUT_MS, ...env },
    ...logging(opts.logLines),
  });
  return { url: stack.listening['auth-server']!, close: stack.close };
}

export interface StackOptions {
  logLines?: string[];
  /** Changes to the demo seed, standing in for what a Dashboard user would configure (e.g. RBAC scopes). */
  editSeed?: (seed: SeedDocument) => void;
  emulator?: Pick<EmulatorOptions, 'passwordLoginLimit' | 'allowInsecureClientMetadataUrls'>;
  /** Extra auth-server environment variables (REDIS_URL, …). */
  authServerEnv?: Record<string, string>;
}

export async function startStack(type: ProjectType, opts: StackOptions = {}): Promise<Stack> {
  const stack = await startParts({
    parts: ['emulator', 'auth-server'],
    projectType: type,
    ports: { emulator: 0, authServer: 0 },
    urls: { clientApp: CLIENT_APP_URL },
    env: { STYTCH_TIMEOUT_MS, ...opts.authServerEnv },
    ...(opts.editSeed ? { editSeed: opts.editSeed } : {}),
    ...(opts.emulator ? { emulator: opts.emulator } : {}),
    ...logging(opts.logLines),
  });
  const emulator = stack.emulator!;
  const seed = stack.seed!;
  const stytchCalls: string[] = [];
  const restoreFetch = recordCalls(emulator.url, stytchCalls);
  const byType = (t: SeedClient['client_type']) => {
    const client = seed.clients.find((c) => c.client_type === t);
    if (!client) throw new Error(`demo seed has no ${t} client`);
    return client;
  };
  const sdkConfig = { project_id: emulator.projectId, secret: emulator.secret, env: emulator.url };
  const demo = stack.demo!;
  return {
    type,
    emulator,
    authServer: { url: stack.urls.authServer, close: stack.close },
    seed,
    login: { email: demo.email, password: demo.password, ...(demo.organization ? { organization: demo.organization } : {}) },
    clients: {
      firstParty: byType('first_party'),
      firstPartyPublic: byType('first_party_public'),
      thirdParty: byType('third_party'),
      thirdPartyPublic: byType('third_party_public'),
    },
    sdk: quietEmulatorClient(() => (type === 'b2b' ? new B2BClient(sdkConfig) : new Client(sdkConfig))),
    stytchCalls,
    close: async () => {
      restoreFetch();
      await stack.close();
    },
  };
}

/** The SDK calls the global fetch at request time, so wrapping it records the auth-server's Stytch traffic. */
function recordCalls(origin: string, calls: string[]): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === new URL(origin).origin) calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return original(input, init);
  };
  return () => {
    globalThis.fetch = original;
  };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An authorization request as a Connected App (openid-client) would build it: state, nonce, PKCE S256. */
export function authorizePath(client: { client_id: string }, overrides: Record<string, string | undefined> = {}, p: Pkce = pkce()): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.append(k, v);
  return `/oauth/authorize?${query.toString()}`;
}

/** Signs in through the login page, as a person would, and fails the test at once if that did not work. */
export async function signIn(stack: Stack, browser: Browser, returnTo = '/'): Promise<Page> {
  const res = await attemptLogin(stack, browser, returnTo);
  if (res.status !== 303) throw new Error(`login failed with HTTP ${res.status}:\n${res.body.slice(0, 1500)}`);
  return res;
}

/** Submits the login form with the demo person's credentials, or with some of them replaced. */
export async function attemptLogin(stack: Stack, browser: Browser, returnTo = '/', overrides: Partial<Stack['login']> = {}): Promise<Page> {
  const page = await browser.get(`/login?return_to=${encodeURIComponent(returnTo)}`);
  const login = { ...stack.login, ...overrides };
  return browser.post('/login', {
    _csrf: hiddenField(page, '_csrf'),
    return_to: hiddenField(page, 'return_to'),
    email: login.email,
    password: login.password,
    ...(login.organization ? { organization: login.organization } : {}),
  });
}

export function newBrowser(stack: Stack): Browser {
  return new Browser(stack.authServer.url);
}

/** Exchanges a code at the emulator's token endpoint, as the Connected App would. */
export async function redeem(stack: Stack, client: SeedClient, code: string, p?: Pkce): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: client.client_id });
  if (client.client_secret) form.set('client_secret', client.client_secret);
  if (p) form.set('code_verifier', p.verifier);
  const res = await fetch(`${stack.emulator.url}/v1/oauth2/token`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The demo person's Stytch sessions, listed through the SDK as an admin would (ids, not tokens). */
export async function stytchSessionIds(stack: Stack): Promise<string[]> {
  const org = stack.seed.organizations?.[0];
  if (org) {
    const sdk = stack.sdk as B2BClient;
    const res = await sdk.sessions.get({ organization_id: org.organization_id, member_id: org.members[0]!.member_id });
    return res.member_sessions.map((s) => s.member_session_id);
  }
  const sdk = stack.sdk as Client;
  const res = await sdk.sessions.get({ user_id: stack.seed.users![0]!.user_id });
  return res.sessions.map((s) => s.session_id);
}

/** Revokes every session of the demo person in Stytch, as "sign out everywhere" elsewhere in the app would. */
export async function revokeStytchSessions(stack: Stack): Promise<void> {
  for (const id of await stytchSessionIds(stack)) {
    if (stack.type === 'b2b') await (stack.sdk as B2BClient).sessions.revoke({ member_session_id: id });
    else await (stack.sdk as Client).sessions.revoke({ session_id: id });
  }
}
