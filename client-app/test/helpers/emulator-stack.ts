/**
 * The client-app with the local Stytch emulator and the real auth-server (the Authorization URL), all in-process
 * on free ports, as the demo runs them (`src/stack.ts`), plus what these tests watch: the client-app's provider
 * traffic goes through a tap.
 */
import { startStack, type Stack } from '../../../src/stack.ts';
import { demoLogin, type DemoSeed } from '../../../src/shared/demo.ts';
import type { ProjectType } from '../../../src/shared/project.ts';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { DEFAULT_SCOPE } from '../../src/profiles.ts';
import { type Browser, findForm, type Page } from '../../../test/support/browser.ts';
import { createTap, type Tap } from './tap.ts';

export interface EmulatorStack {
  emulator: RunningEmulator;
  authServerUrl: string;
  clientAppUrl: string;
  seed: DemoSeed;
  tap: Tap;
  /** Client ids of the client-app's profiles. */
  clientIds: Record<string, string>;
  setFaults(clientId: string, scenarios: string[], params?: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

/** Switches the emulator's fault scenarios on for `clientId` (none: back to normal), through its admin API. */
export async function setFaults(emulator: RunningEmulator, clientId: string, scenarios: string[], params: Record<string, number> = {}): Promise<void> {
  const res = await fetch(`${emulator.url}/emulator/clients/${clientId}/faults`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scenarios, params }),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}

/** The provider side alone (emulator and auth-server); the client-app's address is `clientAppUrl`. */
export function startProvider(projectType: ProjectType, clientAppUrl: string): Promise<Stack> {
  return startStack({
    parts: ['emulator', 'auth-server'],
    projectType,
    ports: { emulator: 0, authServer: 0 },
    urls: { clientApp: clientAppUrl },
    logLevel: 'silent',
  });
}

export async function startEmulatorStack({ httpTimeoutMs = 5000 }: { httpTimeoutMs?: number } = {}): Promise<EmulatorStack> {
  const tap = createTap();
  const stack = await startStack({
    ports: { emulator: 0, authServer: 0, clientApp: 0 },
    logLevel: 'silent',
    clientApp: {
      httpTimeoutMs,
      fetch: tap.fetch,
      // The negative table provokes more failed callbacks from one address than the production limit allows;
      // the limits have their own tests (test/scale/rate-limits.test.ts).
      dangerouslyDisableRateLimits: true,
      // Both ask for refresh tokens (Acme Mobile then answers a consent page); Insight also for a custom scope.
      profiles: (demo) => {
        const scopes: Record<string, string> = { 'insight-analytics': `${DEFAULT_SCOPE} read:reports`, 'acme-mobile': DEFAULT_SCOPE };
        const profiles = demo.map((p) => ({ ...p, scope: scopes[p.id] ?? p.scope }));
        const insight = profiles.find((p) => p.id === 'insight-analytics')!;
        return [
          ...profiles,
          { ...insight, id: 'wrong-secret', label: 'Insight Analytics (wrong secret)', client_secret: 'secret-test-NotTheRightSecret_000000000000000000000=' },
        ];
      },
    },
  });
  const emulator = stack.emulator!;
  return {
    emulator,
    authServerUrl: stack.urls.authServer,
    clientAppUrl: stack.urls.clientApp,
    seed: stack.seed!,
    tap,
    clientIds: Object.fromEntries(stack.clients.map((c) => [c.profileId, c.clientId])),
    setFaults: (clientId, scenarios, params) => setFaults(emulator, clientId, scenarios, params),
    close: stack.close,
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
  if (start.status !== 303) throw new Error(`/login answered ${start.status}: ${start.body.slice(0, 500)}`);
  let page: Page = await browser.follow(start, atClient);
  for (let i = 0; i < 4; i++) {
    if (page.redirect && atClient(page.redirect)) return page.redirect;
    const login = findForm(page, '/login');
    const consent = findForm(page, '/oauth/authorize/submit');
    if (login) page = await browser.post(login.action, { ...login.fields, ...credentials });
    else if (consent) page = await browser.post(consent.action, { ...consent.fields, decision });
    else throw new Error(`unexpected page ${page.status} ${page.url}: ${page.body.slice(0, 800)}`);
    page = await browser.follow(page, atClient);
  }
  throw new Error('the auth-server did not redirect back to the client-app');
}
