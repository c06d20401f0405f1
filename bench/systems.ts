/**
 * The two systems under test, each server in its own child process on loopback:
 * - ours: the local Stytch emulator, the auth-server (Authorization URL) and the client-app (Connected App),
 *   each started by the one stack module (`src/stack.ts`, through `bench/part.ts`), production mode, logs at warn;
 * - the peer: node-oidc-provider with its dev interactions, and an express + openid-client relying party.
 */
import { randomBytes } from 'node:crypto';
import { demoLogin, loadDemoSeed } from '../src/shared/demo.ts';
import type { StackOptions, StackPart } from '../src/stack.ts';
import { freePort } from '../test/support/ports.ts';
import { startChild, type Child } from './processes.ts';

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
  /** Node.js or V8 options for every process (see `ChildOptions.nodeOptions`). */
  nodeOptions?: readonly string[] | undefined;
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
  const ports = { emulator: await freePort(), authServer: await freePort(), clientApp: await freePort() };
  const urls = { stytch: `http://${HOST}:${ports.emulator}`, authServer: `http://${HOST}:${ports.authServer}`, clientApp: `http://${HOST}:${ports.clientApp}` };
  const seed = loadDemoSeed('consumer');
  const { email, password } = demoLogin(seed);
  const client = seed.clients.find((c) => c.client_type === 'third_party');
  if (!client) throw new Error('the Consumer demo seed has no third-party client');
  const part = (name: StackPart, url: string) => () =>
    startChild({
      name,
      script: 'bench/part.ts',
      env: {
        BENCH_STACK: JSON.stringify({
          parts: [name],
          projectType: 'consumer',
          host: HOST,
          ports,
          urls,
          logLevel: LOG_LEVEL,
          ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        } satisfies StackOptions),
      },
      url,
      cpuProfDir: options.cpuProfDir,
      nodeOptions: options.nodeOptions,
    });

  const children = await startAll([part('emulator', urls.stytch), part('auth-server', urls.authServer), part('client-app', urls.clientApp)]);
  const [emulator, authServer, clientApp] = children as [Child, Child, Child];
  return {
    name: 'ours',
    // Insight Analytics, the third-party confidential client: it asks for offline_access, so the consent page
    // shows in every flow.
    loginUrl: `${urls.clientApp}/login?profile=insight-analytics`,
    rpUrl: urls.clientApp,
    opUrl: urls.authServer,
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
        nodeOptions: options.nodeOptions,
      }),
    () =>
      startChild({
        name: 'peer-rp',
        script: 'bench/peer/rp.ts',
        env: { ...common, PEER_PORT: String(rpPort), PEER_SESSION_SECRET: secret() },
        url: rpUrl,
        cpuProfDir: options.cpuProfDir,
        nodeOptions: options.nodeOptions,
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
