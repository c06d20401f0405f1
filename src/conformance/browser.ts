/**
 * Drives a relying party's login in headless Chromium, as a person would: open its login URL, fill the
 * authorization server's login form, accept consent, and come back to the relying party; then look at what it
 * shows. One fresh browser context (no cookies) per scenario.
 *
 * The authorization server's pages are found by what every login page has (an email or username field, a
 * password field, a submit button; a consent button labelled Allow / Accept / Approve…), like verify's login.
 * Whether the relying party signed the person in is decided by one thing only: its success text is visible.
 * Each context records a Playwright trace; a failed row keeps it, with a screenshot (`keepArtifacts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CodedError, errorMessage } from '../shared/errors.ts';
import { ACTIONABLE, CHROMIUM_ARGS, findConsentButton, LOGIN_SELECTORS, submitLoginForm } from '../chromium/login-form.ts';
import { ConformanceError } from './emulator.ts';

/** The flow could not be driven (no login form, a timeout…): the row is an error, not a verdict. */
export class DriveError extends CodedError<'ERR_DRIVE'> {
  constructor(message: string) {
    super('ERR_DRIVE', message);
  }
}

export interface DriverOptions {
  executablePath: string;
  timeoutMs: number;
  rp: { loginUrl: URL; successText: string; refreshText: string | undefined; protectedUrl: URL };
  person: { email: string; password: string; organization: string | undefined };
}

/** Where the flow ended and what the relying party showed there. */
export interface Observation {
  signedIn: boolean;
  /** Origin and path (never the query: it may hold a code). */
  endedAt: string;
  /** The HTTP status of the page shown (undefined when no document answered). */
  status: number | undefined;
  /** Its main heading (or alert, or title), shortened. */
  heading: string;
  /** The first line of its error text (an alert, or the first line under the heading), shortened. */
  errorLine: string;
}

/** Where a failed row's trace and screenshot were written. */
export interface Artifacts {
  trace: string;
  screenshot: string;
}

const shorten = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
};

/** `500 at http://rp/callback: "Login failed" (invalid_token: …)`, for rows and messages; a signed-in page without its text. */
export function describePage(o: Pick<Observation, 'endedAt' | 'status' | 'heading' | 'errorLine'> & { signedIn?: boolean }): string {
  const said = [o.heading && `"${o.heading}"`, !o.signedIn && o.errorLine && `(${o.errorLine})`].filter(Boolean).join(' ');
  return `${o.status ?? 'no status'} at ${o.endedAt}${said ? `: ${said}` : ''}`;
}

/** Login, maybe an organization step, consent; a few spare. */
const MAX_ROUNDS = 6;

function place(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

export class RpDriver {
  private constructor(
    private readonly browser: Browser,
    private readonly options: DriverOptions,
  ) {}

  /** Ctrl-C is the run's to handle (cli.ts switches the faults off first); Chromium is killed when the process exits. */
  static async launch(options: DriverOptions): Promise<RpDriver> {
    try {
      const browser = await chromium.launch({
        executablePath: options.executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: options.timeoutMs,
        handleSIGINT: false,
      });
      return new RpDriver(browser, options);
    } catch (err) {
      throw new ConformanceError(
        'ERR_BROWSER_LAUNCH',
        `Chromium did not start from ${options.executablePath}: ${errorMessage(err).split('\n')[0]} (missing system libraries: \`npx playwright install-deps chromium\`; or pass --browser or CHROMIUM_PATH)`,
      );
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }

  /** A person with no cookies at all. */
  async session(): Promise<RpSession> {
    const context = await this.browser.newContext();
    context.setDefaultTimeout(this.options.timeoutMs);
    await context.tracing.start({ screenshots: true, snapshots: true });
    return new RpSession(context, await context.newPage(), this.options);
  }
}

export class RpSession {
  /** The status of the last document the main frame loaded. */
  private status: number | undefined;

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly options: DriverOptions,
  ) {
    page.on('response', (res) => {
      if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) this.status = res.status();
    });
  }

  async close(): Promise<void> {
    await this.context.tracing.stop().catch(() => undefined);
    await this.context.close().catch(() => undefined);
  }

  /** Writes the trace and a screenshot of the current page to `dir`/`name`.{zip,png}. */
  async keepArtifacts(dir: string, name: string): Promise<Artifacts | undefined> {
    try {
      mkdirSync(dir, { recursive: true });
      const screenshot = join(dir, `${name}.png`);
      const trace = join(dir, `${name}.trace.zip`);
      await this.page.screenshot({ path: screenshot, fullPage: true, timeout: 5000 });
      await this.context.tracing.stop({ path: trace });
      return { trace, screenshot };
    } catch {
      return undefined;
    }
  }

  /**
   * Opens the relying party's protected URL in this session: after a refusal it must not show the person
   * signed in (a session that outlives a refused token is as good as an accepted one).
   */
  async visitProtected(): Promise<Observation> {
    try {
      await this.page.goto(this.options.rp.protectedUrl.href, { waitUntil: 'load' });
    } catch (err) {
      throw new DriveError(`opening ${place(this.options.rp.protectedUrl.href)} failed: ${errorMessage(err).split('\n')[0]}`);
    }
    return this.observe();
  }

  private isRp(url: URL | string): boolean {
    return new URL(url).origin === this.options.rp.loginUrl.origin;
  }

  /**
   * Logs in through the relying party; `settleMs`: how long the relying party may take to answer its callback
   * (longer than its own HTTP timeout for a stalling token endpoint).
   */
  async login(settleMs: number): Promise<Observation> {
    const { page, options } = this;
    try {
      await page.goto(options.rp.loginUrl.href, { waitUntil: 'load' });
    } catch (err) {
      throw new DriveError(`opening ${place(options.rp.loginUrl.href)} failed: ${errorMessage(err).split('\n')[0]}`);
    }
    if (this.isRp(page.url())) {
      const o = await this.observe();
      throw new DriveError(
        `${place(options.rp.loginUrl.href)} stayed on the relying party (${describePage(o)}): --rp-login-url must start a login, i.e. redirect to the authorization server`,
      );
    }
    let loggedIn = false;
    let consented = false;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (this.isRp(page.url())) {
        await page.waitForLoadState('load', { timeout: settleMs }).catch(() => undefined);
        return this.observe();
      }
      // Pages rendered by script show their form late.
      await page
        .locator(ACTIONABLE)
        .first()
        .waitFor({ state: 'visible' })
        .catch(() => undefined);
      const before = page.url();
      const password = page.locator(LOGIN_SELECTORS.password).first();
      if (await password.isVisible().catch(() => false)) {
        if (loggedIn)
          throw new DriveError(
            `the login form came back after signing in at ${place(page.url())}: are --email and --password right? (${await this.heading()})`,
          );
        await submitLoginForm(page, this.options.person);
        loggedIn = true;
      } else {
        const consent = await findConsentButton(page);
        if (!consent) {
          const o = await this.observe();
          throw new DriveError(`no login form, consent button or way back to the relying party: ${describePage(o)}`);
        }
        if (consented) throw new DriveError(`the consent page came back after accepting at ${place(page.url())}`);
        await consent.click({ noWaitAfter: true });
        consented = true;
      }
      await this.leaves(before, settleMs);
    }
    throw new DriveError(`the browser did not come back to the relying party (last page: ${place(page.url())})`);
  }

  /**
   * Waits until the browser has moved on from `before` (the next page committed). After consent that page is
   * the relying party's callback, which answers only once its token request is done: `settleMs`.
   */
  private async leaves(before: string, settleMs: number): Promise<void> {
    await this.page.waitForURL((u) => u.href !== before, { waitUntil: 'commit', timeout: settleMs }).catch(() => undefined);
  }

  /** Presses the relying party's refresh button or link, then looks again. */
  async refresh(settleMs: number): Promise<Observation> {
    const { page, options } = this;
    const label = options.rp.refreshText!;
    const target = page
      .getByRole('button', { name: label })
      .or(page.getByRole('link', { name: label }))
      .first();
    if (!(await target.isVisible().catch(() => false))) throw new DriveError(`no button or link "${label}" on the signed-in page (${place(page.url())})`);
    // The answer may come back to the same URL (/account again), so wait for a new document, not a new URL.
    const navigated = page.waitForEvent('framenavigated', { timeout: settleMs }).catch(() => undefined);
    await target.click({ noWaitAfter: true });
    await navigated;
    await page.waitForLoadState('load', { timeout: settleMs }).catch(() => undefined);
    return this.observe();
  }

  private async observe(): Promise<Observation> {
    const { page } = this;
    const visible = () =>
      page
        .getByText(this.options.rp.successText)
        .first()
        .isVisible()
        .catch(() => false);
    let signedIn = await visible();
    // A page that renders with script may show the text a little later.
    if (
      !signedIn &&
      (await page
        .locator('script')
        .count()
        .catch(() => 0)) > 0
    ) {
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
      signedIn = await visible();
    }
    const heading = await this.heading();
    return { signedIn, endedAt: place(page.url()), status: this.status, heading, errorLine: await this.errorLine(heading) };
  }

  private async text(selector: string): Promise<string> {
    return (
      await this.page
        .locator(selector)
        .first()
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (the rendered text), not the DOM property
        .innerText({ timeout: 300 })
        .catch(() => '')
    ).trim();
  }

  private async heading(): Promise<string> {
    const text =
      (await this.text('[role=alert] h1')) || (await this.text('h1')) || (await this.text('[role=alert]')) || (await this.page.title().catch(() => ''));
    return shorten(text.split('\n')[0] ?? '');
  }

  /**
   * The first line of what the page says about the error: in its alert (else main, else body), the first line
   * after the heading that is not itself a heading ("What happened" is a label, the sentence after it is not).
   */
  private async errorLine(heading: string): Promise<string> {
    for (const selector of ['[role=alert]', 'main', 'body']) {
      const container = this.page.locator(selector).first();
      const lines = (await this.text(selector)).split('\n').map(shorten).filter(Boolean);
      const headings = new Set(
        (
          await container
            .locator('h1, h2, h3, h4, h5, h6')
            .allInnerTexts()
            .catch(() => [])
        ).map(shorten),
      );
      const after = lines.slice(lines.indexOf(heading) + 1).filter((l) => !headings.has(l) && l !== heading);
      if (after.length) return after[0]!;
    }
    return '';
  }
}
