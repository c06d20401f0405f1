/**
 * The scale-out tests' stack: one emulator (it stands in for Stytch, which scales on its own), and any number of
 * auth-server and client-app instances, each configured from environment variables exactly as a container
 * would be, each behind its app's round-robin proxy. The proxies' URLs are the apps' public URLs, so they are
 * started first; instances can be added, stopped and replaced behind them.
 */
import { randomBytes } from 'node:crypto';
import { createApp as createAuthServer } from '../../auth-server/src/app.ts';
import { loadConfig as loadAuthServerConfig } from '../../auth-server/src/config.ts';
import { loadClientAppConfig } from '../../client-app/src/config.ts';
import { startClientApp } from '../../client-app/src/server.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { demoLogin, loadDemoSeed, type DemoSeed } from '../../src/shared/demo.ts';
import { listen } from '../../src/shared/http.ts';
import { createLogger } from '../../src/shared/log.ts';
import { Browser, type Page } from './browser.ts';
import { startRoundRobinProxy, type Backend, type RoundRobinProxy } from './round-robin-proxy.ts';

const LOG_LEVEL = 'silent';

export interface Instance {
  backend: Backend;
  close(): Promise<void>;
}

/** Per-app settings shared by all its instances: what a deployment would put in every container's environment. */
export interface AppEnvironment {
  redisUrl?: string | undefined;
  /** SQLite session file (embedded store); `:memory:` when Redis is used. */
  sessionDb: string;
  /** Unset: the app generates a secret file next to the session DB (and reuses it after a restart). */
  sessionSecret?: string | undefined;
  /**
   * client-app: sign in with the seed's third-party *public* client (PKCE only), whose refresh tokens rotate on
   * every use with reuse detection, instead of the confidential one.
   */
  publicClient?: boolean;
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

export async function startScaleStack(): Promise<ScaleStack> {
  const authProxy = await startRoundRobinProxy();
  const clientProxy = await startRoundRobinProxy();
  const seedUrls = { authServerUrl: authProxy.url, clientAppUrl: clientProxy.url };
  const emulator = await startEmulator({ projectType: 'consumer', host: '127.0.0.1', db: ':memory:', seedUrls, logger: createLogger('emulator', LOG_LEVEL) });
  const seed = loadDemoSeed('consumer', seedUrls);
  // The third-party confidential client: its flow includes the consent page.
  const client = seed.clients.find((c) => c.client_type === 'third_party');
  if (!client?.client_secret) throw new Error('the Consumer demo seed has no third-party confidential client');
  const publicClient = seed.clients.find((c) => c.client_type === 'third_party_public');
  if (!publicClient) throw new Error('the Consumer demo seed has no third-party public client');
  const instances: Instance[] = [];

  return {
    emulator,
    seed,
    authProxy,
    clientProxy,

    async startAuthServer(name, env) {
      const config = loadAuthServerConfig({
        AUTH_SERVER_HOST: '127.0.0.1',
        AUTH_SERVER_PORT: '0',
        AUTH_SERVER_PUBLIC_URL: authProxy.url,
        AUTH_SERVER_SESSION_DB: env.sessionDb,
        AUTH_SERVER_SESSION_SECRET: env.sessionSecret,
        REDIS_URL: env.redisUrl,
        STYTCH_API_URL: emulator.url,
        LOG_LEVEL,
      });
      const { app, close } = await createAuthServer(config);
      const server = await listen(app, { port: 0, host: config.host });
      const instance: Instance = {
        backend: { name, url: server.url },
        close: async () => {
          await server.close();
          await close();
        },
      };
      instances.push(instance);
      return instance;
    },

    async startClientApp(name, env) {
      const config = loadClientAppConfig({
        CLIENT_APP_HOST: '127.0.0.1',
        CLIENT_APP_PORT: '0',
        CLIENT_APP_PUBLIC_URL: clientProxy.url,
        CLIENT_APP_SESSION_DB: env.sessionDb,
        CLIENT_APP_SESSION_SECRET: env.sessionSecret,
        REDIS_URL: env.redisUrl,
        OIDC_ISSUER: emulator.url,
        ...(env.publicClient
          ? { OIDC_CLIENT_ID: publicClient.client_id, OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'none' }
          : { OIDC_CLIENT_ID: client.client_id, OIDC_CLIENT_SECRET: client.client_secret, OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'client_secret_basic' }),
        OIDC_REDIRECT_URI: `${clientProxy.url}/callback`,
        LOG_LEVEL,
      });
      const running = await startClientApp(config);
      const instance: Instance = {
        backend: { name, url: `http://127.0.0.1:${running.port}` },
        close: () => running.close(),
      };
      instances.push(instance);
      return instance;
    },

    async close() {
      await Promise.allSettled(instances.map((i) => i.close()));
      await authProxy.close();
      await clientProxy.close();
      await emulator.close();
    },
  };
}

/**
 * The whole authorization code flow as a person does it: Log in on the client-app, sign in on the
 * auth-server's login page, allow on the consent page, and land back on the client-app signed in.
 */
export async function signIn(browser: Browser, stack: ScaleStack): Promise<Page> {
  const { email, password } = demoLogin(stack.seed);
  const loginPage = await browser.navigate(`${stack.clientProxy.url}/login?profile=default`);
  if (!loginPage.url.startsWith(`${stack.authProxy.url}/login`)) throw new Error(`expected the auth-server login page, got ${loginPage.status} ${loginPage.url}:\n${loginPage.body.slice(0, 1500)}`);
  const consentPage = await browser.submit(loginPage, { email, password }, { action: /^\/login$/ });
  if (!consentPage.url.startsWith(`${stack.authProxy.url}/oauth/authorize`)) throw new Error(`expected the consent page, got ${consentPage.status} ${consentPage.url}:\n${consentPage.body.slice(0, 1500)}`);
  return browser.submit(consentPage, {}, { action: /\/oauth\/authorize\/submit$/, button: { decision: 'allow' } });
}
