/**
 * The whole authorization code flow as a person goes through it, composed from the page objects:
 * client home → "Log in with …" → (sign in) → (consent) → back on the client, signed in.
 * Specs that test one step drive the page objects directly; the others call `signIn`.
 */
import { expect } from '@playwright/test';
import type { ClientAppPage } from './client-app.ts';
import type { ConsentPage } from './consent-page.ts';
import type { Credentials, LoginPage } from './login-page.ts';

/** What the spec expects at the consent step: answer it, or that it does not appear. */
export type ConsentStep = 'allow' | 'deny' | 'not-shown';

export interface FlowClient {
  /** The label of the client's "Log in with …" button. */
  label: string;
  /** The Connected App's name, as the consent page shows it. */
  name: string;
}

export class ConnectedAppFlow {
  constructor(
    readonly clientApp: ClientAppPage,
    readonly loginPage: LoginPage,
    readonly consentPage: ConsentPage,
  ) {}

  /**
   * Logs in with `client` as `person`. `credentials: false` when the browser is already signed in at the
   * Authorization URL (no login page expected). Ends on the client's account page, unless consent is denied.
   */
  async signIn(client: FlowClient, person: Credentials & { email: string }, opts: { consent: ConsentStep; credentials?: boolean }): Promise<void> {
    await this.clientApp.startLogin(client.label);
    if (opts.credentials !== false) await this.loginPage.signIn(person);
    if (opts.consent === 'not-shown') {
      await this.clientApp.expectSignedIn(person.email, client.label);
      return;
    }
    await this.consentPage.expectShown(client.name, person.email);
    if (opts.consent === 'allow') {
      await this.consentPage.allow();
      await this.clientApp.expectSignedIn(person.email, client.label);
    } else {
      await this.consentPage.deny();
      await expect(this.clientApp.page).toHaveURL(new RegExp(`^${escapeRegExp(this.clientApp.baseUrl)}/`));
    }
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
