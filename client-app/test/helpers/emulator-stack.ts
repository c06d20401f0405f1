/**
 * The client-app with the local Stytch emulator and the real auth-server (the Authorization URL), all in-process
 * on free ports, as the demo runs them. Each app's URL must be known before the others start (the emulator's
 * seed registers the client-app's redirect URI and the auth-server's Authorization URL), so the two apps' HTTP
 * servers listen first and get their Express apps once everything is configured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp as createAuthServer } from '../../../auth-server/src/app.ts';
import { loadConfig as loadAuthServerConfig } from '../../../auth-server/src/config.ts';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.ts';
import { demoLogin, loadDemoSeed, type DemoSeed } from '../../../src/shared/demo.ts';
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

export async function startEmulatorStack({ httpTimeoutMs = 5000 }: { httpTimeoutMs?: number } = {}): Promise<EmulatorStack> {
  const auth = await listening();
  const client = await listening();
  const seedUrls = { authServerUrl: auth.url, clientAppUrl: client.url };
  const emulator = await startEmulator({ projectType: 'consumer', db: ':memory:', port: 0, seedUrls, logger: createLogger('emulator', 'silent') });
  const seed = loadDemoSeed('consumer', seedUrls);

  const authServer = await createAuthServer(
    loadAuthServerConfig({ STYTCH_PROJECT_TYPE: 'consumer', STYTCH_API_URL: emulator.url, AUTH_SERVER_PORT: '0', AUTH_SERVER_PUBLIC_URL: auth.url, AUTH_SERVER_SESSION_DB: ':memory:', LOG_LEVEL: 'silent' }),
  );
  auth.server.on('request', authServer.app);

  const tap = createTap();
  const inputs: ProfileInput[] = [
    ...demoProfiles({ issuer: emulator.url, clientAppUrl: client.url, authServerUrl: auth.url }),
  ];
  const insight = inputs.find((p) => p.id === 'insight')!;
  inputs.push({ ...insight, id: 'wrong-secret', label: 'Insight Analytics (wrong secret)', client_secret: 'secret-test-NotTheRightSecret_000000000000000000000=' });
  const config = { ...loadClientAppConfig({ CLIENT_APP_PORT: '0', CLIENT_APP_SESSION_DB: ':memory:', LOG_LEVEL: 'silent' }), httpTimeoutMs, publicUrl: client.url, profiles: resolveProfiles(inputs, client.url) };
  // The negative table provokes more failed callbacks from one address than the production limit allows;
  // the limits have their own tests (test/scale/rate-limits.test.ts).
  const clientApp = await createApp(config, { fetch: tap.fetch, dangerouslyDisableRateLimits: true });
  client.server.on('request', clientApp.app);

  const basic = `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}`;
  return {
    emulator,
    authServerUrl: auth.url,
    clientAppUrl: client.url,
    seed,
    tap,
    clientIds: Object.fromEntries(inputs.map((p) => [p.id, p.client_id])),
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
      await clientApp.close();
      await stop(auth.server);
      await authServer.close();
      await emulator.close();
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
  const atClient = (loc: string) => loc.startsWith(`${stack.clientAppUrl}/`);
  const start = await browser.get(`${stack.clientAppUrl}/login?profile=${profile}`);
  if (start.status !== 303) throw new Error(`/login answered ${start.status}: ${start.text.slice(0, 500)}`);
  let page: Page = await browser.follow(start, atClient);
  for (let i = 0; i < 4; i++) {
    if (page.location && atClient(page.location)) return page.location;
    const login = findForm(page, '/login');
    const consent = findForm(page, '/oauth/authorize/submit');
    if (login) page = await browser.post(login.action, { ...login.fields, email, password });
    else if (consent) page = await browser.post(consent.action, { ...consent.fields, decision: options.decision ?? 'allow' });
    else throw new Error(`unexpected page ${page.status} ${page.url}: ${page.text.slice(0, 800)}`);
    page = await browser.follow(page, atClient);
  }
  throw new Error('the auth-server did not redirect back to the client-app');
}
