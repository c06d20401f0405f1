/** The auth-server's sign-in page (`/login`), reached from the Authorization URL when nobody is signed in. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface Credentials {
  email: string;
  password: string;
  /** B2B only: the organization slug the member signs in to. */
  organization?: string | undefined;
}

export class LoginPage {
  readonly heading: Locator;
  readonly organization: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /^Sign in to / });
    this.organization = page.getByLabel('Organization');
    this.email = page.getByLabel('Email address');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('button', { name: 'Sign in', exact: true });
    this.alert = page.getByRole('alert');
  }

  async expectShown(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page).toHaveURL(/\/login\?/);
  }

  async signIn(who: Credentials): Promise<void> {
    await this.expectShown();
    if (who.organization !== undefined) await this.organization.fill(who.organization);
    await this.email.fill(who.email);
    await this.password.fill(who.password);
    await this.submit.click();
  }
}
