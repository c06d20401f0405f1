/** The auth-server's error page: shown instead of a redirect when the client or its redirect_uri is not trusted. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AuthErrorPage {
  readonly heading: Locator;
  readonly message: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.message = page.locator('[data-error-code]');
  }

  /** The page names the error by its stable code (texts may change, codes do not). */
  async expectCode(code: string): Promise<void> {
    await expect(this.message).toHaveAttribute('data-error-code', code);
    await expect(this.page.getByText(`Error ${code}`)).toBeVisible();
  }
}
