/**
 * The sample Connected App (client-app): its home page (one "Log in with …" per client profile), the signed-in
 * account page, the flow inspector and its error page. Point `baseUrl` at another deployment of it if you run
 * one. For a relying party of your own, implement `RelyingParty` (connected-app-flow.ts) and reuse the flow.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { RelyingParty } from './connected-app-flow.ts';

export class ClientAppPage implements RelyingParty {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  // --- home ---------------------------------------------------------------------------------------------
  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Sign in with a Connected App' })).toBeVisible();
  }

  loginLink(label: string): Locator {
    return this.page.getByRole('link', { name: `Log in with ${label}`, exact: true });
  }

  /** Opens the home page and starts the authorization code flow with the client labelled `label`. */
  async startLogin(label: string): Promise<void> {
    await this.open();
    await this.loginLink(label).click();
  }

  /** The status line of the home page ("You are signed out…", "Signed in as…"). */
  get status(): Locator {
    return this.page.getByRole('status');
  }

  // --- account (signed in) --------------------------------------------------------------------------------
  get accountHeading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** Waits for the signed-in page: back on the client-app, showing `email` signed in through `label`. */
  async expectSignedIn(email: string, label: string): Promise<void> {
    await expect(this.page).toHaveURL(`${this.baseUrl}/account`);
    await expect(this.page.locator('main .lead').first()).toContainText(email);
    await expect(this.page.locator('main .lead').first()).toContainText(`signed in through ${label}`);
  }

  /** A value of the "Tokens" list on the account page, e.g. `tokenFact('Refresh token')`. */
  tokenFact(term: string): Locator {
    return this.page.locator('dl.facts dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  grantedScopes(): Locator {
    return this.page.getByRole('heading', { name: 'Granted scopes' }).locator('xpath=following-sibling::p[1]');
  }

  /** The value of an ID token claim, as the account page shows it. */
  claim(name: string): Locator {
    return this.page
      .getByRole('heading', { name: 'ID token claims' })
      .locator('..')
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell');
  }

  async refreshTokens(): Promise<void> {
    await this.page.getByRole('button', { name: 'Refresh tokens' }).click();
  }

  async callUserInfo(): Promise<void> {
    await this.page.getByRole('button', { name: 'Call UserInfo again' }).click();
  }

  async logOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Log out' }).click();
  }

  // --- flow inspector ---------------------------------------------------------------------------------------
  async openInspector(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flow inspector' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Flow inspector' })).toBeVisible();
  }

  /** The titles of the timeline's steps, in order. */
  async stepTitles(): Promise<string[]> {
    return this.page.locator('ol.timeline > li h3').allInnerTexts();
  }

  step(title: string | RegExp): Locator {
    return this.page.locator('ol.timeline > li').filter({ has: this.page.getByRole('heading', { level: 3, name: title }) });
  }

  // --- error page ---------------------------------------------------------------------------------------------
  get errorPanel(): Locator {
    return this.page.getByRole('alert');
  }

  /** Waits for the client-app's error page and checks its stable error code (`Login stopped · <code>`). */
  async expectError(code: string): Promise<void> {
    await expect(this.errorPanel).toBeVisible();
    await expect(this.errorPanel.locator('.eyebrow code')).toHaveText(code);
  }
}
