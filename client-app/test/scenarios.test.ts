/**
 * The hostile-provider catalogue (src/emulator/faults, docs/faults.md) run through the client-app, in-process:
 * one row per scenario with what the client-app must show next to it. Rejected scenarios must end on the error
 * page with the explanation keyed on their error code, and nobody signed in; accepted ones must sign in. A row
 * fails when the client-app accepts what it must reject, or rejects what it must accept.
 *
 * The real emulator and the real auth-server (its login and consent pages mint the code) serve the whole file;
 * each row gets a fresh client-app behind the same URL, so that it starts from a fresh openid-client
 * configuration and JWKS cache. `signing-key-rotation` first signs in once (filling that cache), then the clock
 * moves on a minute: openid-client fetches a JWKS again for an unknown `kid` at most once a minute.
 * The same catalogue drives `npx connected-app conformance` against any relying party, in Chromium.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SCENARIOS, type FaultName, type FaultScenario, type RunningEmulator } from '../../src/emulator/index.ts';
import type { ProjectType } from '../../src/shared/project.ts';
import { startStack, type Stack } from '../../src/stack.ts';
import { freePort } from '../../test/support/ports.ts';
import { CATALOGUE, type CatalogueKey } from '../src/error-catalogue.ts';
import { DEFAULT_SCOPE } from '../src/index.ts';
import { Browser, errorKey } from '../../test/support/browser.ts';
import { logInThroughAuthServer, setFaults, startProvider } from './helpers/emulator-stack.ts';
import { createPerson, type Person } from '../../test/support/people.ts';

/** The client-app's timeout for requests to the provider here; `token-slow` stalls for longer. */
const HTTP_TIMEOUT_MS = 2000;

/**
 * What the client-app shows: the signed-in page (with these granted scopes, when the row says), or the error page
 * with this catalogue key and status.
 */
type Row = { signsIn: true; grantedScopes?: string } | { errorKey: CatalogueKey; status: number };

/** One row per scenario. A scenario without a row does not compile. */
const TABLE: Record<FaultName, Row> = {
  'invalid-iss': { errorKey: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss', status: 502 },
  'missing-sub': { errorKey: 'OAUTH_INVALID_RESPONSE:claim-missing', status: 502 },
  'invalid-aud': { errorKey: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud', status: 502 },
  'missing-aud': { errorKey: 'OAUTH_INVALID_RESPONSE:claim-missing', status: 502 },
  'invalid-secondary-aud': { errorKey: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud', status: 502 },
  'valid-aud-as-array-with-azp': { signsIn: true },
  'missing-iat': { errorKey: 'OAUTH_INVALID_RESPONSE:claim-missing', status: 502 },
  expired: { errorKey: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp', status: 502 },
  'iat-week-in-past': { errorKey: 'ERR_ID_TOKEN_TOO_OLD', status: 502 },
  'nonce-invalid': { errorKey: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce', status: 502 },
  'nonce-missing': { errorKey: 'OAUTH_INVALID_RESPONSE:nonce-missing', status: 502 },
  'alg-none': { errorKey: 'OAUTH_INVALID_RESPONSE:alg', status: 502 },
  'invalid-sig-rs256': { errorKey: 'OAUTH_INVALID_RESPONSE:signature', status: 502 },
  'invalid-sig-hs256': { errorKey: 'OAUTH_INVALID_RESPONSE:alg', status: 502 },
  'kid-absent-single-jwks': { signsIn: true },
  'kid-absent-multiple-jwks': { errorKey: 'OAUTH_KEY_SELECTION_FAILED', status: 502 },
  'kid-unknown': { errorKey: 'OAUTH_KEY_SELECTION_FAILED', status: 502 },
  'signing-key-rotation': { signsIn: true },
  'typ-not-jwt': { errorKey: 'ERR_ID_TOKEN_TYPE', status: 502 },
  // The client-app matches `state` to its pending login itself, before openid-client sees the response.
  'authz-response-iss-mismatch': { errorKey: 'OAUTH_INVALID_RESPONSE:iss-param-mismatch', status: 400 },
  'authz-response-state-mismatch': { errorKey: 'ERR_STATE_MISMATCH', status: 400 },
  'authz-response-state-missing': { errorKey: 'ERR_STATE_MISSING', status: 400 },
  'userinfo-sub-mismatch': { errorKey: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED:sub', status: 502 },
  'token-error-invalid-grant': { errorKey: 'invalid_grant', status: 400 },
  'token-5xx': { errorKey: 'OAUTH_RESPONSE_IS_NOT_CONFORM', status: 502 },
  'token-slow': { errorKey: 'OAUTH_TIMEOUT', status: 504 },
  'token-type-case': { signsIn: true },
  'no-expires-in': { signsIn: true },
  // No `scope` in the response: the granted scope is the requested one (RFC 6749 §5.1).
  'no-scope-in-token-response': { signsIn: true, grantedScopes: DEFAULT_SCOPE },
  'refresh-invalid-iss': { errorKey: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss', status: 502 },
  'refresh-invalid-sub': { errorKey: 'ERR_REFRESHED_ID_TOKEN_MISMATCH', status: 502 },
  'b2b-access-token-no-organization': { signsIn: true },
};

/** `token-slow` stalls beyond the client-app's timeout (not for the default 35 s). */
const PARAMS: Partial<Record<FaultName, Record<string, number>>> = { 'token-slow': { token_delay_ms: HTTP_TIMEOUT_MS + 2000 } };

const PROFILE = 'insight-analytics';

/** An emulator project, its auth-server, and the address the client-apps of the rows take turns behind. */
interface ProviderSide {
  projectType: ProjectType;
  emulator: RunningEmulator;
  authServerUrl: string;
  clientAppUrl: string;
  clientId: string;
  person: Person;
  /** A new client-app instance behind `clientAppUrl`: a fresh openid-client configuration and JWKS cache. */
  freshClientApp(): Promise<void>;
  setFaults(scenarios: FaultName[], params?: Record<string, number>): Promise<void>;
  close(): Promise<void>;
}

async function startProviderSide(projectType: ProjectType): Promise<ProviderSide> {
  const clientAppPort = await freePort('localhost');
  const provider = await startProvider(projectType, `http://localhost:${clientAppPort}`);
  const emulator = provider.emulator!;
  const seed = provider.seed!;
  // Insight Analytics: the seed's confidential third-party client (it asks for consent at every login).
  const insight = seed.clients.find((c) => c.client_type === 'third_party')!;
  const org = seed.organizations?.[0];
  const person = await createPerson(emulator, { organization: org ? { id: org.organization_id, slug: org.organization_slug } : undefined });
  let clientApp: Stack | undefined;

  return {
    projectType,
    emulator,
    authServerUrl: provider.urls.authServer,
    clientAppUrl: provider.urls.clientApp,
    clientId: insight.client_id,
    person,
    async freshClientApp() {
      await clientApp?.close();
      clientApp = await startStack({
        parts: ['client-app'],
        projectType,
        ports: { clientApp: clientAppPort },
        urls: { stytch: emulator.url, authServer: provider.urls.authServer },
        logLevel: 'silent',
        // Every row provokes a failed callback from the same address; the limits have their own tests.
        clientApp: { httpTimeoutMs: HTTP_TIMEOUT_MS, dangerouslyDisableRateLimits: true, profiles: (demo) => demo.filter((p) => p.id === PROFILE) },
      });
    },
    setFaults: (scenarios, params) => setFaults(emulator, insight.client_id, scenarios, params),
    async close() {
      await clientApp?.close();
      await provider.close();
    },
  };
}

/** Logs in as the side's person, through the auth-server's login and consent pages; returns the callback URL. */
function logIn(side: ProviderSide, browser: Browser): Promise<string> {
  const { email, password, organization } = side.person;
  return logInThroughAuthServer(browser, side.clientAppUrl, PROFILE, { email, password, ...(organization ? { organization } : {}) });
}

async function isSignedIn(side: ProviderSide, browser: Browser): Promise<boolean> {
  return (await browser.get(`${side.clientAppUrl}/account`)).status === 200;
}

async function csrf(side: ProviderSide, browser: Browser): Promise<string> {
  const page = await browser.get(`${side.clientAppUrl}/account`);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
  if (!match) throw new Error(`no csrf token on /account (${page.status})`);
  return match[1]!;
}

/** Moves every clock of this process (openid-client's JWKS cache age included) on by `ms`. */
function moveClockOn(ms: number): void {
  const now = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => now() + ms);
}

const sides = new Map<ProjectType, ProviderSide>();
const sideOf = (s: FaultScenario) => sides.get(s.projectTypes?.includes('consumer') === false ? 'b2b' : 'consumer')!;

beforeAll(async () => {
  const types = new Set(SCENARIOS.map((s) => (s.projectTypes?.includes('consumer') === false ? 'b2b' : 'consumer')));
  for (const type of types) sides.set(type, await startProviderSide(type));
});

afterAll(async () => {
  for (const side of sides.values()) await side.close();
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const side of sides.values()) await side.setFaults([]);
});

async function run(scenario: FaultScenario, row: Row): Promise<void> {
  const side = sideOf(scenario);
  const name = scenario.name as FaultName;
  await side.freshClientApp();
  if (scenario.needsJwksRefetch) {
    // A first login fills the JWKS cache; then the key rotates and a minute passes.
    const first = new Browser();
    expect((await first.get(await logIn(side, first))).redirect).toBe(`${side.clientAppUrl}/account`);
    await side.setFaults([name], PARAMS[name]);
    moveClockOn(61_000);
  } else if (scenario.step === 'login') {
    await side.setFaults([name], PARAMS[name]);
  }

  const browser = new Browser();
  let page = await browser.get(await logIn(side, browser));
  if (scenario.step === 'refresh') {
    expect(page.redirect, page.body.slice(0, 2000)).toBe(`${side.clientAppUrl}/account`);
    await side.setFaults([name], PARAMS[name]);
    page = await browser.post(`${side.clientAppUrl}/refresh`, { _csrf: await csrf(side, browser) });
  }

  if ('signsIn' in row) {
    expect(errorKey(page), page.body.slice(0, 2000)).toBeUndefined();
    expect(page.status).toBe(303);
    expect(page.redirect).toBe(`${side.clientAppUrl}/account`);
    expect(await isSignedIn(side, browser)).toBe(true);
    if (row.grantedScopes) {
      const account = (await browser.get(`${side.clientAppUrl}/account`)).body;
      const chips = /<h2>Granted scopes<\/h2>\s*<p class="chips">(.*?)<\/p>/s.exec(account)?.[1] ?? '';
      expect([...chips.matchAll(/<span class="chip">([^<]+)<\/span>/g)].map((m) => m[1]).join(' ')).toBe(row.grantedScopes);
    }
    return;
  }
  expect(errorKey(page), `the client-app did not reject ${name}: ${page.status} ${page.redirect ?? page.body.slice(0, 2000)}`).toBe(row.errorKey);
  expect(page.status).toBe(row.status);
  // The explanation of its own (not the generic fallback): what happened, the cause, what to check.
  const entry = CATALOGUE[row.errorKey];
  expect(page.body).toContain(entry.title.replaceAll("'", '&#39;'));
  expect(page.body).toContain('What to check');
  expect(await isSignedIn(side, browser)).toBe(false);
}

describe('the hostile-provider catalogue through the client-app', () => {
  it('has a row for every scenario that agrees with the scenario on reject or accept', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(28);
    for (const s of SCENARIOS) expect('signsIn' in TABLE[s.name] ? 'accept' : 'reject', s.name).toBe(s.expected.outcome);
  });

  it('raises the code the catalogue names for the checks openid-client leaves to the application', () => {
    for (const s of SCENARIOS) {
      const row = TABLE[s.name];
      if (s.expected.outcome === 'reject' && s.expected.by === 'application' && 'errorKey' in row) expect(row.errorKey, s.name).toBe(s.expected.code);
    }
  });

  for (const scenario of SCENARIOS) {
    const row = TABLE[scenario.name];
    it(`${scenario.name} → ${'signsIn' in row ? 'signs in' : row.errorKey}`, () => run(scenario, row));
  }
});
