/**
 * The two systems under test, each server in its own child process on loopback:
 * - ours: the local Stytch emulator, the auth-server (Authorization URL) and the client-app (Connected App),
 *   configured from environment variables as their own `main.ts` reads them, production mode, logs at warn;
 * - the peer: node-oidc-provider with its dev interactions, and an express + openid-client relying party.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { demoLogin, loadDemoSeed } from '../src/shared/demo.ts';
import { freePort, startChild, type Child } from './processes.ts';

export interface SystemUnderTest {
  name: 'ours' | 'peer';
  /** Where a flow starts: the relying party's login route. */
  loginUrl: string;
  rpUrl: string;
  opUrl: string;
  /** The relying party's name first, then the provider side's processes. */
  children: Child[];
  credentials: { login: string; password: string };
  /** The relying party's client_id at the provider. */
  clientId: string;
  close(): Promise<void>;
}

export interface StartOptions {
  cpuProfDir?: string | undefined;
  /** Keep each server's data in files here (so that a restarted process finds it); unset = in memory. */
  dataDir?: string | undefined;
}

const LOG_LEVEL = 'warn';
const HOST = '127.0.0.1';
const secret = () => randomBytes(32).toString('base64url');

async function startAll(starts: Array<() => Promise<Child>>): Promise<Child[]> {
  const children: Child[] = [];
  try {
    for (const start of starts) children.push(await start());
    return children;
  } catch (err) {
    await Promise.allSettled(children.map((c) => c.stop()));
    throw err;
  }
}

export async function startOurs(options: StartOptions = {}): Promise<SystemUnderTest> {
  const [emulatorPort, authPort, clientPort] = [await freePort(), await freePort(), await freePort()];
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  const authUrl = `http://${HOST}:${authPort}`;
  const clientUrl = `http://${HOST}:${clientPort}`;
  const seed = loadDemoSeed('consumer', { authServerUrl: authUrl, clientAppUrl: clientUrl });
  // The third-party confidential client asks for offline_access: the consent page shows in every flow.
  const client = seed.clients.find((c) => c.client_type === 'third_party');
  const clientSecret = client?.client_secret;
  if (!client || !clientSecret) throw new Error('the Consumer demo seed has no third-party confidential client');
  const { email, password } = demoLogin(seed);
  const prof = options.cpuProfDir;
  const db = (name: string) => (options.dataDir ? join(options.dataDir, name) : ':memory:');

  const children = await startAll([
    () =>
      startChild({
        name: 'emulator',
        script: 'src/cli/main.ts',
        args: ['emulator', '--project-type', 'consumer', '--port', String(emulatorPort), '--host', HOST, '--db', db('emulator.db'),
          '--auth-server-url', authUrl, '--client-app-url', clientUrl, '--log-level', LOG_LEVEL],
        env: {},
        url: emulatorUrl,
        cpuProfDir: prof,
      }),
    () =>
      startChild({
        name: 'auth-server',
        script: 'auth-server/src/main.ts',
        env: {
          AUTH_SERVER_HOST: HOST,
          AUTH_SERVER_PORT: String(authPort),
          AUTH_SERVER_PUBLIC_URL: authUrl,
          AUTH_SERVER_SESSION_DB: db('auth-server-sessions.db'),
          AUTH_SERVER_SESSION_SECRET: secret(),
          STYTCH_API_URL: emulatorUrl,
          LOG_LEVEL,
        },
        url: authUrl,
        cpuProfDir: prof,
      }),
    () =>
      startChild({
        name: 'client-app',
        script: 'client-app/src/main.ts',
        env: {
          CLIENT_APP_HOST: HOST,
          CLIENT_APP_PORT: String(clientPort),
          CLIENT_APP_PUBLIC_URL: clientUrl,
          CLIENT_APP_SESSION_DB: db('client-app-sessions.db'),
          CLIENT_APP_SESSION_SECRET: secret(),
          OIDC_ISSUER: emulatorUrl,
          OIDC_CLIENT_ID: client.client_id,
          OIDC_CLIENT_SECRET: clientSecret,
          OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'client_secret_basic',
          OIDC_REDIRECT_URI: `${clientUrl}/callback`,
          LOG_LEVEL,
        },
        url: clientUrl,
        cpuProfDir: prof,
      }),
  ]);
  const [emulator, authServer, clientApp] = children as [Child, Child, Child];
  return {
    name: 'ours',
    loginUrl: `${clientUrl}/login?profile=default`,
    rpUrl: clientUrl,
    opUrl: authUrl,
    children: [clientApp, authServer, emulator],
    credentials: { login: email, password },
    clientId: client.client_id,
    close: async () => {
      await Promise.allSettled(children.map((c) => c.stop()));
    },
  };
}

export const PEER_CLIENT = { clientId: 'bench-rp', clientSecret: 'bench-rp-secret-not-a-real-secret-0123456789' };

export async function startPeer(options: StartOptions = {}): Promise<SystemUnderTest> {
  const [opPort, rpPort] = [await freePort(), await freePort()];
  const opUrl = `http://${HOST}:${opPort}`;
  const rpUrl = `http://${HOST}:${rpPort}`;
  const common = { PEER_CLIENT_ID: PEER_CLIENT.clientId, PEER_CLIENT_SECRET: PEER_CLIENT.clientSecret, PEER_OP_URL: opUrl, PEER_RP_URL: rpUrl };
  const children = await startAll([
    () =>
      startChild({
        name: 'peer-op',
        script: 'bench/peer/op.ts',
        env: { ...common, PEER_PORT: String(opPort) },
        url: opUrl,
        healthPath: '/.well-known/openid-configuration',
        cpuProfDir: options.cpuProfDir,
      }),
    () =>
      startChild({
        name: 'peer-rp',
        script: 'bench/peer/rp.ts',
        env: { ...common, PEER_PORT: String(rpPort), PEER_SESSION_SECRET: secret() },
        url: rpUrl,
        cpuProfDir: options.cpuProfDir,
      }),
  ]);
  const [op, rp] = children as [Child, Child];
  return {
    name: 'peer',
    loginUrl: `${rpUrl}/login`,
    rpUrl,
    opUrl,
    children: [rp, op],
    credentials: { login: 'alice', password: 'any (dev interactions check none)' },
    clientId: PEER_CLIENT.clientId,
    close: async () => {
      await Promise.allSettled(children.map((c) => c.stop()));
    },
  };
}
