/**
 * An MCP client as a CLI agent runs it: the official SDK (`Client`, Streamable HTTP transport, `auth()`)
 * with the command-line provider of `npx connected-app mcp-client` (loopback redirect URI on a random
 * port). Where the agent would open a browser, it sends the test's Chromium page to the Authorization URL,
 * and the person signs in and consents there through the page objects.
 */
import { expect, type Page } from '@playwright/test';
import {
  CliOAuthClientProvider,
  connectMcp,
  startLoopbackCallback,
  type CliClientOptions,
  type LoopbackCallback,
  type McpSession,
} from '../../src/mcp-client/index.ts';
import type { ConsentPage } from './consent-page.ts';
import type { Credentials, LoginPage } from './login-page.ts';

export type Registration = Pick<CliClientOptions, 'clientMetadataUrl' | 'preRegistered'>;

export class McpAgent {
  /** Every Authorization URL the SDK sent the person to, in order. */
  readonly authorizationUrls: URL[] = [];
  provider!: CliOAuthClientProvider;
  private callback!: LoopbackCallback;

  constructor(
    readonly page: Page,
    readonly loginPage: LoginPage,
    readonly consentPage: ConsentPage,
  ) {}

  /** Opens the loopback callback (a random port) and builds the provider; `redirectUrl` is known from here on. */
  async prepare(clientName: string, registration: Registration = {}): Promise<this> {
    this.callback = await startLoopbackCallback();
    this.provider = new CliOAuthClientProvider({
      callback: this.callback,
      clientName,
      ...registration,
      openAuthorizationUrl: async (url) => {
        this.authorizationUrls.push(url);
        await this.page.goto(url.href);
      },
    });
    return this;
  }

  /**
   * Connects to `serverUrl`: the 401, discovery, registration and authorization happen in the SDK; the person
   * signs in (unless already signed in at the Authorization URL) and allows `clientName` in Chromium.
   */
  async connect(serverUrl: string, person: Credentials & { email: string }, clientName: string, opts: { signIn?: boolean } = {}): Promise<McpSession> {
    const session = connectMcp(serverUrl, this.provider);
    await Promise.all([session, this.approve(person, clientName, opts)]);
    return session;
  }

  /** The person's side of one authorization: sign in if asked, allow on the consent page, land on the callback. */
  async approve(person: Credentials & { email: string }, clientName: string, opts: { signIn?: boolean } = {}): Promise<void> {
    if (opts.signIn !== false) await this.loginPage.signIn(person);
    await this.consentPage.expectShown(clientName, person.email);
    await this.consentPage.allow();
    await expect(this.page.getByRole('heading', { name: 'Signed in' })).toBeVisible();
    expect(new URL(this.page.url()).origin).toBe(new URL(this.provider.redirectUrl).origin);
  }

  async close(): Promise<void> {
    await this.callback?.close();
  }
}
