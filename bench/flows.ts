/**
 * One complete authorization-code flow, as a person does it in a browser: the relying party's Log in → the
 * provider's authorize → (login form) → consent form → allow → the relying party's callback (token exchange)
 * → the signed-in page. The same driver runs against ours and the peer; only the page URLs differ.
 *
 * Kinds: `signed-in` — the person is already signed in at the provider (logged in once per virtual user,
 * outside the measurement); `fresh-login` — a new browser every flow, so every flow includes the password login.
 */
import { BenchBrowser, expectPage, FlowError, UserAgent, type Page } from './client.ts';
import type { SystemUnderTest } from './systems.ts';

export type FlowKind = 'signed-in' | 'fresh-login';

/** A virtual user: one person with one machine (connections, source address) and a browser on it. */
export interface VirtualUser {
  /** Work before the measurement: kind `signed-in` signs in at the provider once. */
  prepare(): Promise<void>;
  /** One measured flow; resolves with the browser, whose `hops` time each step of it. */
  run(): Promise<BenchBrowser>;
  /** Closes the user's connections. */
  close(): Promise<void>;
}

export function names(sut: SystemUnderTest): Map<string, string> {
  return new Map(sut.children.map((c) => [new URL(c.url).origin, c.name]));
}

/** Submits the login form (our auth-server's `/login`, or oidc-provider's dev-interaction login). */
async function logIn(browser: BenchBrowser, sut: SystemUnderTest, page: Page): Promise<Page> {
  if (sut.name === 'ours') return browser.submit(page, { email: sut.credentials.login, password: sut.credentials.password }, { action: /^\/login$/ });
  // The dev interactions' only form posts back to the interaction URL.
  return browser.submit(page, { login: sut.credentials.login, password: sut.credentials.password });
}

function isLoginPage(sut: SystemUnderTest, page: Page): boolean {
  if (sut.name === 'ours') return page.url.startsWith(`${sut.opUrl}/login`);
  return page.url.startsWith(`${sut.opUrl}/interaction/`) && /name="prompt" value="login"/.test(page.body);
}

async function consent(browser: BenchBrowser, sut: SystemUnderTest, page: Page): Promise<Page> {
  if (sut.name === 'ours') {
    expectPage(page, `${sut.opUrl}/oauth/authorize`, 'the consent page');
    return browser.submit(page, {}, { action: /\/oauth\/authorize\/submit$/, button: { decision: 'allow' } });
  }
  expectPage(page, `${sut.opUrl}/interaction/`, 'the consent page');
  return browser.submit(page);
}

/** One flow with `browser`; `login` says whether a login form is expected (and filled) or must not appear. */
export async function flow(browser: BenchBrowser, sut: SystemUnderTest, login: boolean): Promise<void> {
  let page = await browser.navigate(sut.loginUrl);
  if (isLoginPage(sut, page)) {
    if (!login) throw new FlowError('expected to be signed in at the provider already', page);
    page = await logIn(browser, sut, page);
  } else if (login) {
    throw new FlowError('expected the login page', page);
  }
  page = await consent(browser, sut, page);
  expectPage(page, sut.rpUrl, 'the signed-in page');
  if (!page.body.includes(sut.credentials.login)) throw new FlowError(`expected the signed-in page to name ${sut.credentials.login}`, page);
}

/** Virtual user number `index` (it picks the user's loopback source address). */
export function virtualUser(sut: SystemUnderTest, kind: FlowKind, index: number): VirtualUser {
  const origins = names(sut);
  const rpOrigin = new URL(sut.rpUrl).origin;
  const agent = new UserAgent(index);
  let browser: BenchBrowser | undefined;
  return {
    async prepare() {
      if (kind === 'fresh-login' || browser) return;
      browser = new BenchBrowser(origins, agent);
      await flow(browser, sut, true);
    },
    async run() {
      if (kind === 'fresh-login') {
        // A new private window on the same machine: no cookies anywhere.
        const fresh = new BenchBrowser(origins, agent);
        await flow(fresh, sut, true);
        return fresh;
      }
      if (!browser) throw new Error('virtual user not prepared');
      // A new visitor at the relying party, already signed in at the provider.
      browser.forget(rpOrigin);
      browser.hops.length = 0;
      await flow(browser, sut, false);
      return browser;
    },
    close: () => agent.close(),
  };
}
