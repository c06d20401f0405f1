/**
 * A real login in headless Chromium, as a person would do it: open the authorization request at the project's
 * Authorization URL, fill the login form, accept consent, and stop when the browser is sent to the redirect_uri.
 *
 * The Authorization URL is the team's own page, so the forms are found by what every login page has (an email or
 * username field, a password field, a submit button; a consent button labelled Allow / Accept / Approve /
 * Authorize), not by this toolkit's markup. The request to the redirect_uri is intercepted and never reaches the
 * Connected App: verify exchanges the code itself, so it works while the Connected App (the demo's client-app on
 * the same port) is running.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CodedError } from '../../shared/errors.ts';
import { ACTIONABLE, CHROMIUM_ARGS, findConsentButton, LOGIN_SELECTORS, submitLoginForm } from '../../chromium/login-form.ts';

export type BrowserLoginErrorCode = 'ERR_BROWSER_LAUNCH' | 'ERR_LOGIN_NO_FORM' | 'ERR_LOGIN_REJECTED' | 'ERR_LOGIN_ERROR_PAGE' | 'ERR_LOGIN_TIMEOUT';

export class BrowserLoginError extends CodedError<BrowserLoginErrorCode> {
  constructor(
    code: BrowserLoginErrorCode,
    message: string,
    readonly page: { url: string; title: string; text: string } | undefined,
    readonly screenshot: string | undefined,
    readonly steps: StepTiming[],
  ) {
    super(code, message);
  }
}

export interface StepTiming {
  step: string;
  ms: number;
}

export interface BrowserLoginOptions {
  authorizationUrl: URL;
  redirectUri: string;
  user: { email: string; password: string; organization: string | undefined };
  executablePath: string;
  timeoutMs: number;
  /** Where to save a screenshot when the login fails; none when undefined. */
  artifactsDir: string | undefined;
  progress(message: string): void;
}

export interface BrowserLoginResult {
  callbackUrl: URL;
  steps: StepTiming[];
}

const SELECTORS = {
  ...LOGIN_SELECTORS,
  alert: '[role=alert]',
  /** Without an alert: the text under the page's heading, where error pages explain themselves. */
  explanation: 'h1 ~ p',
} as const;
/** Rounds of "look at the page, act": login, maybe an organization picker, consent; a few spare. */
const MAX_ROUNDS = 6;

/** Same origin and path as the redirect_uri: where the login ends (the query carries code, state, iss). */
function isRedirect(url: string, redirectUri: URL): boolean {
  try {
    const u = new URL(url);
    return u.origin === redirectUri.origin && u.pathname === redirectUri.pathname;
  } catch {
    return false;
  }
}

/**
 * Answers every request for the redirect_uri inside the browser and reports the first navigation to it.
 * Playwright's own `route()` does not see the hops of a redirect (by design: microsoft/playwright#3993), and
 * the login ends with one (302/303 to the redirect_uri), so the request would reach whatever listens there.
 * Chromium's Fetch domain pauses redirect hops as well.
 */
async function catchRedirect(cdp: CDPSession, redirectUri: URL, arrived: (url: URL) => void): Promise<void> {
  const wildcard = (text: string) => text.replace(/[\\*?]/g, (c) => `\\${c}`);
  cdp.on('Fetch.requestPaused', (event) => {
    const ours = isRedirect(event.request.url, redirectUri);
    const answer = ours
      ? cdp.send('Fetch.fulfillRequest', {
          requestId: event.requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }],
          body: Buffer.from('connected-app verify: authorization response received.').toString('base64'),
        })
      : cdp.send('Fetch.continueRequest', { requestId: event.requestId });
    if (ours && event.resourceType === 'Document') arrived(new URL(event.request.url));
    // The browser may close while a request is paused; nothing is left to answer then.
    answer.catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${wildcard(redirectUri.origin + redirectUri.pathname)}*`, requestStage: 'Request' }] });
}

export async function browserLogin(options: BrowserLoginOptions): Promise<BrowserLoginResult> {
  const steps: StepTiming[] = [];
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    options.progress(step);
    const started = performance.now();
    try {
      return await fn();
    } finally {
      steps.push({ step, ms: Math.round(performance.now() - started) });
    }
  };

  const redirectUri = new URL(options.redirectUri);
  let callback: URL | undefined;
  let resolveCallback: () => void = () => {};
  const arrived = new Promise<void>((resolve) => (resolveCallback = resolve));

  let browser: Browser | undefined;
  let page: Page;
  try {
    page = await timed('start headless Chromium', async () => {
      browser = await chromium.launch({ executablePath: options.executablePath, headless: true, args: CHROMIUM_ARGS, timeout: options.timeoutMs });
      const context = await browser.newContext();
      context.setDefaultTimeout(options.timeoutMs);
      const newPage = await context.newPage();
      await catchRedirect(await context.newCDPSession(newPage), redirectUri, (url) => {
        callback ??= url;
        resolveCallback();
      });
      return newPage;
    });
  } catch (err) {
    await browser?.close().catch(() => undefined);
    throw new BrowserLoginError(
      'ERR_BROWSER_LAUNCH',
      `Chromium did not start from ${options.executablePath}: ${(err as Error).message.split('\n')[0]}`,
      undefined,
      undefined,
      steps,
    );
  }
  try {
    await timed('open the Authorization URL', async () => {
      await page.goto(options.authorizationUrl.href, { waitUntil: 'domcontentloaded' });
    });

    let loggedIn = false;
    let consented = false;
    for (let round = 0; round < MAX_ROUNDS && !callback; round++) {
      // Pages rendered by script show their form late: wait for a form control, or for the callback.
      await Promise.race([
        arrived,
        page
          .locator(ACTIONABLE)
          .first()
          .waitFor({ state: 'visible', timeout: options.timeoutMs })
          .catch(() => undefined),
      ]);
      if (callback) break;
      const password = page.locator(SELECTORS.password).first();
      if (await password.isVisible().catch(() => false)) {
        if (loggedIn) throw await failure(page, 'ERR_LOGIN_REJECTED', 'the login form came back after signing in', options, steps);
        await timed('log in', () => Promise.all([page.waitForEvent('framenavigated').catch(() => undefined), submitLoginForm(page, options.user)]));
        loggedIn = true;
        continue;
      }
      const consent = await findConsentButton(page);
      if (consent) {
        if (consented) throw await failure(page, 'ERR_LOGIN_ERROR_PAGE', 'the consent page came back after accepting', options, steps);
        await timed('accept consent', () => Promise.all([page.waitForEvent('framenavigated').catch(() => undefined), consent.click()]));
        consented = true;
        continue;
      }
      throw await failure(page, 'ERR_LOGIN_NO_FORM', 'no login form, consent button or redirect to the redirect_uri was found', options, steps);
    }
    if (!callback) {
      await timed('wait for the redirect to the redirect_uri', () => Promise.race([arrived, page.waitForTimeout(options.timeoutMs)]));
    }
    if (!callback) throw await failure(page, 'ERR_LOGIN_TIMEOUT', `the browser was not sent to ${redirectUri.origin}${redirectUri.pathname}`, options, steps);
    return { callbackUrl: callback, steps };
  } catch (err) {
    if (err instanceof BrowserLoginError) throw err;
    const message = (err as Error).message.split('\n')[0] ?? String(err);
    throw new BrowserLoginError(/timeout/i.test(message) ? 'ERR_LOGIN_TIMEOUT' : 'ERR_LOGIN_ERROR_PAGE', message, undefined, undefined, steps);
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

/** A BrowserLoginError with what the page showed (its alert, or the start of its text) and a screenshot. */
async function failure(
  page: Page,
  code: BrowserLoginErrorCode,
  message: string,
  options: BrowserLoginOptions,
  steps: StepTiming[],
): Promise<BrowserLoginError> {
  const title = await page.title().catch(() => '');
  const text1 = async (selector: string) =>
    (
      await page
        .locator(selector)
        .first()
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (the rendered text), not the DOM property
        .innerText({ timeout: 500 })
        .catch(() => '')
    ).trim();
  const body = (await text1(SELECTORS.alert)) || (await text1(SELECTORS.explanation)) || (await text1('body'));
  const text = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  let screenshot: string | undefined;
  if (options.artifactsDir) {
    mkdirSync(options.artifactsDir, { recursive: true });
    screenshot = join(options.artifactsDir, `verify-login-${Date.now()}.png`);
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => (screenshot = undefined));
  }
  // The page URL can carry OAuth parameters; keep its origin and path only.
  const u = new URL(page.url());
  return new BrowserLoginError(code, message, { url: `${u.origin}${u.pathname}`, title, text }, screenshot, steps);
}
