/**
 * The whole authorization code flow as a person goes through it, composed from the page objects:
 * client home → "Log in with …" → (sign in) → (consent) → back on the client, signed in.
 * Specs that test one step drive the page objects directly; the others call `signIn`.
 */
import { expect, type Page } from '@playwright/test';
import type { ConsentPage } from './consent-page.ts';
import type { Credentials, LoginPage } from './login-page.ts';

/**
 * What the flow needs from the relying party's UI. `ClientAppPage` implements it for the sample client-app;
 * a page object for your own application implements the same three members to reuse `ConnectedAppFlow`.
 */
export interface RelyingParty {
  readonly page: Page;
  /** Where the relying party is served; the flow ends back there. */
  readonly baseUrl: string;
  /** Opens the app and starts its login with the client labelled `label` (the authorization request). */
  startLogin(label: string): Promise<void>;
  /** Waits until the app shows `email` signed in through `label`. */
  expectSignedIn(email: string, label: string): Promise<void>;
}

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
    readonly clientApp: RelyingParty,
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
