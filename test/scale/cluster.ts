/**
 * The scale-out tests' stack: one emulator (it stands in for Stytch, which scales on its own), and any number of
 * auth-server and client-app instances, each started by `src/stack.ts` as one part with its container's
 * environment variables, each behind its app's round-robin proxy. The proxies' URLs are the apps' public URLs, so they are
 * started first; instances can be added, stopped and replaced behind them.
 */
import { randomBytes } from 'node:crypto';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import type { ProfileInput } from '../../client-app/src/index.ts';
import { demoLogin, type DemoSeed } from '../../src/shared/demo.ts';
import { startStack, type StackOptions, type StackPart } from '../../src/stack.ts';
import type { Browser, Page } from '../support/browser.ts';
import { startRoundRobinProxy, type Backend, type RoundRobinProxy } from './round-robin-proxy.ts';

export interface Instance {
  backend: Backend;
  close(): Promise<void>;
}

/** Per-app settings shared by all its instances: what a deployment would put in every container's environment. */
export interface AppEnvironment {
  redisUrl?: string | undefined;
  /** Directory of the SQLite session file (embedded store) and of a generated secret; unset: in memory. */
  dataDir?: string | undefined;
  /** Unset: the app generates a secret file next to the session DB (and reuses it after a restart). */
  sessionSecret?: string | undefined;
  /**
   * client-app: the third-party *public* client's profile (`PUBLIC_PROFILE`, PKCE only) also asks for
   * offline_access, so that it gets refresh tokens, which rotate on every use with reuse detection.
   */
  publicClientRefresh?: boolean;
}

export interface ScaleStack {
  emulator: RunningEmulator;
  seed: DemoSeed;
  authProxy: RoundRobinProxy;
  clientProxy: RoundRobinProxy;
  startAuthServer(name: string, env: AppEnvironment): Promise<Instance>;
  startClientApp(name: string, env: AppEnvironment): Promise<Instance>;
  close(): Promise<void>;
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The client-app's profile the flows log in with: the third-party confidential client (its flow includes the consent page). */
export const PROFILE = 'insight-analytics';
/** The third-party public client's profile (Pocket Notes). */
export const PUBLIC_PROFILE = 'pocket-notes';

const withOfflineAccess = (profile: ProfileInput): ProfileInput =>
  profile.id === PUBLIC_PROFILE && !profile.scope?.split(' ').includes('offline_access')
    ? { ...profile, scope: `${profile.scope ?? 'openid'} offline_access` }
    : profile;

export async function startScaleStack(): Promise<ScaleStack> {
  const authProxy = await startRoundRobinProxy();
  const clientProxy = await startRoundRobinProxy();
  // Every part sees the others at the proxies' URLs, the apps' public URLs.
  const common: StackOptions = { host: '127.0.0.1', logLevel: 'silent', urls: { authServer: authProxy.url, clientApp: clientProxy.url } };
  const provider = await startStack({ ...common, parts: ['emulator'], ports: { emulator: 0 } });
  const emulator = provider.emulator!;
  const instances: Instance[] = [];

  const startInstance = async (part: StackPart, name: string, env: AppEnvironment, secretVariable: string): Promise<Instance> => {
    const stack = await startStack({
      ...common,
      parts: [part],
      ports: { authServer: 0, clientApp: 0 },
      urls: { ...common.urls, stytch: emulator.url },
      ...(env.dataDir ? { dataDir: env.dataDir } : {}),
      ...(env.publicClientRefresh ? { clientApp: { profiles: (demo) => demo.map(withOfflineAccess) } } : {}),
      env: { ...(env.redisUrl ? { REDIS_URL: env.redisUrl } : {}), ...(env.sessionSecret ? { [secretVariable]: env.sessionSecret } : {}) },
    });
    const instance: Instance = { backend: { name, url: stack.listening[part]! }, close: stack.close };
    instances.push(instance);
    return instance;
  };

  return {
    emulator,
    seed: provider.seed!,
    authProxy,
    clientProxy,
    startAuthServer: (name, env) => startInstance('auth-server', name, env, 'AUTH_SERVER_SESSION_SECRET'),
    startClientApp: (name, env) => startInstance('client-app', name, env, 'CLIENT_APP_SESSION_SECRET'),
    async close() {
      await Promise.allSettled(instances.map((i) => i.close()));
      await authProxy.close();
      await clientProxy.close();
      await provider.close();
    },
  };
}

/**
 * The whole authorization code flow as a person does it: Log in on the client-app, sign in on the
 * auth-server's login page (as `profile`, default `PROFILE`), allow on the consent page, and land back on the client-app signed in.
 */
export async function signIn(browser: Browser, stack: ScaleStack, profile = PROFILE): Promise<Page> {
  const { email, password } = demoLogin(stack.seed);
  const loginPage = await browser.navigate(`${stack.clientProxy.url}/login?profile=${profile}`);
  if (!loginPage.url.startsWith(`${stack.authProxy.url}/login`))
    throw new Error(`expected the auth-server login page, got ${loginPage.status} ${loginPage.url}:\n${loginPage.body.slice(0, 1500)}`);
  const consentPage = await browser.submit(loginPage, { email, password }, { action: /^\/login$/ });
  if (!consentPage.url.startsWith(`${stack.authProxy.url}/oauth/authorize`))
    throw new Error(`expected the consent page, got ${consentPage.status} ${consentPage.url}:\n${consentPage.body.slice(0, 1500)}`);
  return browser.submit(consentPage, {}, { action: /\/oauth\/authorize\/submit$/, button: { decision: 'allow' } });
}
