/**
 * The client-app with the local Stytch emulator and the real auth-server (the Authorization URL), all in-process
 * on free ports, as the demo runs them. Each app's URL must be known before the others start (the emulator's
 * seed registers the client-app's redirect URI and the auth-server's Authorization URL), so the two apps' HTTP
 * servers listen first and get their Express apps once everything is configured.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp as createAuthServer } from '../../../auth-server/src/app.ts';
import { loadConfig as loadAuthServerConfig } from '../../../auth-server/src/config.ts';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.ts';
import { demoLogin, loadDemoSeed, type DemoSeed, type ProjectType } from '../../../src/shared/demo.ts';
import { createLogger } from '../../../src/shared/log.ts';
import { createApp } from '../../src/app.ts';
import { loadClientAppConfig } from '../../src/config.ts';
import { demoProfiles, resolveProfiles, type ProfileInput } from '../../src/profiles.ts';
import { Browser, findForm, type Page } from './browser.ts';
import { createTap, type Tap } from './tap.ts';

export interface EmulatorStack {
  emulator: RunningEmulator;
  authServerUrl: string;
  clientAppUrl: string;
  seed: DemoSeed;
  tap: Tap;
  /** Client ids of the demo profiles. */
  clientIds: Record<string, string>;
  setFaults(clientId: string, scenarios: string[], params?: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

async function listening(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The provider side: an emulator project and its auth-server, both serving, and the client-app's address bound
 * (the seed registers its redirect URIs) with no app behind it yet: `serveClientApp` puts one there.
 */
export interface Provider {
  emulator: RunningEmulator;
  seed: DemoSeed;
  authServerUrl: string;
  clientAppUrl: string;
  /** Serves `app` at `clientAppUrl`, in place of the previous one. */
  serveClientApp(app: RequestListener): void;
  /** Switches fault scenarios on for `clientId` (none: back to normal). */
  setFaults(clientId: string, scenarios: string[], params?: Record<string, number>): Promise<void>;
  /** Stops the servers and the emulator; close the client-app first. */
  close(): Promise<void>;
}

export async function startProvider(projectType: ProjectType = 'consumer'): Promise<Provider> {
  const auth = await listening();
  const client = await listening();
  const seedUrls = { authServerUrl: auth.url, clientAppUrl: client.url };
  const emulator = await startEmulator({ projectType, db: ':memory:', port: 0, seedUrls, logger: createLogger('emulator', 'silent') });
  const authServer = await createAuthServer(
    loadAuthServerConfig({ STYTCH_PROJECT_TYPE: projectType, STYTCH_API_URL: emulator.url, AUTH_SERVER_PORT: '0', AUTH_SERVER_PUBLIC_URL: auth.url, AUTH_SERVER_SESSION_DB: ':memory:', LOG_LEVEL: 'silent' }),
  );
  auth.server.on('request', authServer.app);
  const basic = `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}`;
  return {
    emulator,
    seed: loadDemoSeed(projectType, seedUrls),
    authServerUrl: auth.url,
    clientAppUrl: client.url,
    serveClientApp(app) {
      client.server.removeAllListeners('request');
      client.server.on('request', app);
    },
    async setFaults(clientId, scenarios, params = {}) {
      const res = await fetch(`${emulator.url}/emulator/clients/${clientId}/faults`, {
        method: 'PUT',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify({ scenarios, params }),
      });
      if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await stop(client.server);
      await stop(auth.server);
      await authServer.close();
      await emulator.close();
    },
  };
}

export async function startEmulatorStack({ httpTimeoutMs = 5000 }: { httpTimeoutMs?: number } = {}): Promise<EmulatorStack> {
  const provider = await startProvider('consumer');
  const { emulator, authServerUrl, clientAppUrl } = provider;

  const tap = createTap();
  const inputs: ProfileInput[] = [...demoProfiles({ issuer: emulator.url, clientAppUrl, authServerUrl })];
  const insight = inputs.find((p) => p.id === 'insight')!;
  inputs.push({ ...insight, id: 'wrong-secret', label: 'Insight Analytics (wrong secret)', client_secret: 'secret-test-NotTheRightSecret_000000000000000000000=' });
  const config = { ...loadClientAppConfig({ CLIENT_APP_PORT: '0', CLIENT_APP_SESSION_DB: ':memory:', LOG_LEVEL: 'silent' }), httpTimeoutMs, publicUrl: clientAppUrl, profiles: resolveProfiles(inputs, clientAppUrl) };
  // The negative table provokes more failed callbacks from one address than the production limit allows;
  // the limits have their own tests (test/scale/rate-limits.test.ts).
  const clientApp = await createApp(config, { fetch: tap.fetch, dangerouslyDisableRateLimits: true });
  provider.serveClientApp(clientApp.app);

  return {
    emulator,
    authServerUrl,
    clientAppUrl,
    seed: provider.seed,
    tap,
    clientIds: Object.fromEntries(inputs.map((p) => [p.id, p.client_id])),
    setFaults: provider.setFaults,
    async close() {
      await clientApp.close();
      await provider.close();
    },
  };
}

export interface AuthorizeOptions {
  decision?: 'allow' | 'deny';
}

/**
 * Logs in the way a person does: Log in on the client-app, sign in on the auth-server's login page, answer the
 * consent page if there is one; returns the callback URL the auth-server redirected to.
 */
export async function authorizeViaAuthServer(stack: EmulatorStack, browser: Browser, profile: string, options: AuthorizeOptions = {}): Promise<string> {
  const { email, password } = demoLogin(stack.seed);
  return logInThroughAuthServer(browser, stack.clientAppUrl, profile, { email, password }, options.decision);
}

/** The same for any person (B2B: with `organization`), at the client-app served at `clientAppUrl`. */
export async function logInThroughAuthServer(
  browser: Browser,
  clientAppUrl: string,
  profile: string,
  credentials: Record<string, string>,
  decision: 'allow' | 'deny' = 'allow',
): Promise<string> {
  const atClient = (loc: string) => loc.startsWith(`${clientAppUrl}/`);
  const start = await browser.get(`${clientAppUrl}/login?profile=${profile}`);
  if (start.status !== 303) throw new Error(`/login answered ${start.status}: ${start.text.slice(0, 500)}`);
  let page: Page = await browser.follow(start, atClient);
  for (let i = 0; i < 4; i++) {
    if (page.location && atClient(page.location)) return page.location;
    const login = findForm(page, '/login');
    const consent = findForm(page, '/oauth/authorize/submit');
    if (login) page = await browser.post(login.action, { ...login.fields, ...credentials });
    else if (consent) page = await browser.post(consent.action, { ...consent.fields, decision });
    else throw new Error(`unexpected page ${page.status} ${page.url}: ${page.text.slice(0, 800)}`);
    page = await browser.follow(page, atClient);
  }
  throw new Error('the auth-server did not redirect back to the client-app');
}
