/**
 * The Playwright fixtures of the harness. Each worker boots its own stack in-process on free ports, with a
 * fresh in-memory emulator (`stack`), so specs are independent and run in parallel; each test gets a fresh
 * person, its own browser context, and the page objects. On failure, each server's log lines written during
 * the test are attached to the report next to the trace and the screenshot.
 *
 * A team reuses this file and `e2e/pages/` (see README, "The end-to-end harness"): the page objects use
 * accessible selectors only, and `stack.clients` says which client needs consent, so specs never hard-code ids.
 */
import { test as base, expect } from '@playwright/test';
import { loadDotEnv } from '../src/shared/config.ts';
import type { ProjectType } from '../src/shared/project.ts';
import { STACK_PARTS, startStack, stytchProjectFromEnv, type ConsentPolicy, type Stack, type StackClient } from '../src/stack.ts';
import { Faults } from './faults.ts';
import { AuthErrorPage } from './pages/auth-error-page.ts';
import { ClientAppPage } from './pages/client-app.ts';
import { ConnectedAppFlow } from './pages/connected-app-flow.ts';
import { ConsentPage } from './pages/consent-page.ts';
import { LoginPage } from './pages/login-page.ts';
import { McpAgent } from './pages/mcp-agent.ts';
import { createPerson, deletePerson, type Person } from './people.ts';
import { ServerLogs } from './server-logs.ts';
import { missingStytchVariables, skipReason } from './stytch-env.ts';

export { expect };
export type { Person, Stack, StackClient };
export type { RelyingParty } from './pages/connected-app-flow.ts';
export type { Credentials } from './pages/login-page.ts';
export { AuthErrorPage, ClientAppPage, ConnectedAppFlow, ConsentPage, Faults, LoginPage, McpAgent };

/** Options set per Playwright project (playwright.config.ts) or with `test.use`. */
export interface StackOptions {
  projectType: ProjectType;
  /** Run against your own Stytch project (E2E_STYTCH=1) instead of a local emulator. */
  againstStytch: boolean;
}

export interface ClientCriteria {
  firstParty?: boolean;
  confidential?: boolean;
  consent?: ConsentPolicy;
}

/** The clock of the worker's emulator and mcp-server; a test moves it forward to see tokens expire. */
export class StackClock {
  shiftSeconds = 0;
  readonly now = () => Math.floor(Date.now() / 1000) + this.shiftSeconds;
}

interface WorkerFixtures {
  stack: Stack;
  serverLogs: ServerLogs;
  stackClock: StackClock;
}

interface TestFixtures {
  /** A person created for this test only (Consumer user or B2B member with a password). */
  person: Person;
  clientApp: ClientAppPage;
  loginPage: LoginPage;
  consentPage: ConsentPage;
  authErrorPage: AuthErrorPage;
  flow: ConnectedAppFlow;
  /** An MCP client (official SDK, CLI provider) whose Authorization URL opens in this test's page. */
  mcpAgent: McpAgent;
  /** Fault injection in the emulator, undone after the test. */
  faults: Faults;
  /** Moves the stack's clock forward (emulator and mcp-server alike) until the end of the test. */
  advanceClock: (seconds: number) => void;
  /** The first client of the stack that matches; skips the test (your own project only) when none does. */
  pickClient: (criteria: ClientCriteria) => StackClient;
  // biome-ignore lint/suspicious/noConfusingVoidType: Playwright's type for a fixture that provides no value
  attachServerLogs: void;
  // biome-ignore lint/suspicious/noConfusingVoidType: as above
  requireStytchCredentials: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures & StackOptions>({
  projectType: ['consumer', { option: true, scope: 'worker' }],
  againstStytch: [false, { option: true, scope: 'worker' }],

  serverLogs: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from its first parameter's destructuring
    async ({}, use) => {
      await use(new ServerLogs());
    },
    { scope: 'worker' },
  ],

  stackClock: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature (no fixtures used, the first argument is required)
    async ({}, use) => {
      await use(new StackClock());
    },
    { scope: 'worker' },
  ],

  stack: [
    async ({ serverLogs, projectType, againstStytch, stackClock }, use) => {
      let stack: Stack;
      if (againstStytch) {
        loadDotEnv();
        // The Dashboard registers fixed URLs (Authorization URL, redirect URLs): the apps keep their usual ports.
        stack = await startStack({
          stytch: stytchProjectFromEnv(process.env)!,
          parts: STACK_PARTS,
          ports: { authServer: Number(process.env.AUTH_SERVER_PORT ?? 3000), clientApp: Number(process.env.CLIENT_APP_PORT ?? 3001) },
          env: process.env,
          logLevel: 'info',
          logDestination: (part) => serverLogs.stream(part),
        });
      } else {
        stack = await startStack({
          projectType,
          ports: { emulator: 0, authServer: 0, clientApp: 0, mcpServer: 0 },
          parts: STACK_PARTS,
          now: stackClock.now,
          // The MCP specs serve Client ID Metadata Documents on loopback (self-signed https: the MCP SDK wants https).
          allowInsecureClientMetadataUrls: true,
          logLevel: 'info',
          logDestination: (part) => serverLogs.stream(part),
        });
      }
      await use(stack);
      await stack.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  // Runs before the stack is booted: without credentials, E2E_STYTCH=1 skips every test and says what is missing.
  requireStytchCredentials: [
    async ({ againstStytch, projectType }, use, testInfo) => {
      if (againstStytch) {
        loadDotEnv();
        const missing = missingStytchVariables(projectType);
        testInfo.skip(missing.length > 0, skipReason(missing));
      }
      await use();
    },
    { auto: true },
  ],

  attachServerLogs: [
    async ({ serverLogs }, use, testInfo) => {
      const mark = serverLogs.mark();
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        for (const [part, text] of serverLogs.since(mark)) await testInfo.attach(`${part}.log`, { body: text, contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],

  person: async ({ stack }, use) => {
    const person = await createPerson(stack);
    await use(person);
    await deletePerson(stack, person);
  },

  clientApp: async ({ page, stack }, use) => use(new ClientAppPage(page, stack.urls.clientApp)),
  loginPage: async ({ page }, use) => use(new LoginPage(page)),
  consentPage: async ({ page }, use) => use(new ConsentPage(page)),
  authErrorPage: async ({ page }, use) => use(new AuthErrorPage(page)),
  flow: async ({ clientApp, loginPage, consentPage }, use) => use(new ConnectedAppFlow(clientApp, loginPage, consentPage)),
  mcpAgent: async ({ page, loginPage, consentPage }, use) => {
    const agent = new McpAgent(page, loginPage, consentPage);
    await use(agent);
    await agent.close();
  },

  faults: async ({ stack }, use, testInfo) => {
    testInfo.skip(!stack.emulator, 'Fault injection needs the local emulator; your own Stytch project cannot be told to misbehave.');
    const faults = new Faults(stack);
    await use(faults);
    await faults.clear();
  },

  advanceClock: async ({ stack, stackClock }, use, testInfo) => {
    testInfo.skip(!stack.emulator, 'Moving the clock needs the local emulator.');
    await use((seconds) => {
      stackClock.shiftSeconds += seconds;
    });
    stackClock.shiftSeconds = 0;
  },

  pickClient: async ({ stack }, use, testInfo) => {
    await use((criteria) => {
      const found = stack.clients.find(
        (c) =>
          (criteria.firstParty === undefined || c.firstParty === criteria.firstParty) &&
          (criteria.confidential === undefined || c.confidential === criteria.confidential) &&
          (criteria.consent === undefined || c.consent === criteria.consent),
      );
      if (!found) {
        // Only possible with your own project, whose clients may not cover every kind; the demo seed does.
        testInfo.skip(true, `No configured Connected App matches ${JSON.stringify(criteria)}; configure one with CLIENT_APP_PROFILES to run this test.`);
        throw new Error('unreachable');
      }
      return found;
    });
  },
});
