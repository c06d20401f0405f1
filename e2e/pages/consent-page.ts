/** The auth-server's consent page: "<client> wants to access your <app> account", Allow or Deny. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ConsentPage {
  readonly heading: Locator;
  readonly allowButton: Locator;
  readonly denyButton: Locator;
  readonly notYouButton: Locator;
  readonly scopes: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /wants to access your .* account$/ });
    this.allowButton = page.getByRole('button', { name: 'Allow', exact: true });
    this.denyButton = page.getByRole('button', { name: 'Deny', exact: true });
    this.notYouButton = page.getByRole('button', { name: 'Not you?' });
    this.scopes = page
      .getByRole('list')
      .filter({ has: page.getByRole('listitem') })
      .first();
  }

  /** Waits for the consent page of `clientName`, shown to `email` (when given). */
  async expectShown(clientName: string, email?: string): Promise<void> {
    await expect(this.heading).toContainText(`${clientName} wants to access your`);
    if (email) await expect(this.page.getByText(email, { exact: false }).first()).toBeVisible();
    // A registered logo must load here, on another origin than its host (it was once a broken image: the
    // client-app served it with helmet's same-origin resource policy). The logo is decorative (alt=""), hence CSS.
    const logo = this.page.locator('img.app-logo');
    if (await logo.count()) await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  }

  async allow(): Promise<void> {
    await this.allowButton.click();
  }

  async deny(): Promise<void> {
    await this.denyButton.click();
  }
}
