/**
 * The `OAuthClientProvider` of a command-line MCP client, for the official SDK's `auth()` flow: what a CLI
 * agent keeps (its registration, its tokens, the PKCE verifier), its loopback redirect URI, and how it
 * sends a person to the Authorization URL. The SDK does the protocol (discovery, registration, PKCE,
 * `resource`, code exchange, refresh); this class only stores and hands over.
 *
 * Three ways to be a client, as the MCP authorization spec lists them:
 * - Dynamic Client Registration (default): the SDK registers `clientMetadata` at the registration endpoint;
 * - a Client ID Metadata Document (`clientMetadataUrl`): used when the authorization server advertises
 *   `client_id_metadata_document_supported`;
 * - a pre-registered client (`preRegistered`): a client id from the Dashboard.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { LoopbackCallback } from './loopback.ts';
import { memoryStore, type ClientStore } from './store.ts';

export interface CliClientOptions {
  callback: LoopbackCallback;
  /** Sends the person to the Authorization URL: print it, open a browser, or (tests) drive Chromium there. */
  openAuthorizationUrl: (url: URL) => void | Promise<void>;
  clientName?: string;
  /** A Client ID Metadata Document's https URL: the client id, when the server supports CIMD. */
  clientMetadataUrl?: string;
  /** A client registered beforehand (no registration, no CIMD). */
  preRegistered?: { client_id: string };
  /** How long to wait for the person to come back (default 5 minutes). */
  timeoutMs?: number;
  /** Where the registration and tokens are kept between runs (default: memory only). */
  store?: ClientStore;
}

function portless(url: string): string {
  const u = new URL(url);
  u.port = '';
  return u.href;
}

export class CliOAuthClientProvider implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  private client: OAuthClientInformationMixed | undefined;
  private stored: OAuthTokens | undefined;
  private verifier: string | undefined;
  private pending: Promise<string> | undefined;
  private readonly store: ClientStore;

  constructor(private readonly options: CliClientOptions) {
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.store = options.store ?? memoryStore();
    const kept = this.store.load();
    // A kept registration is used only for the same way of being a client (a pre-registered id wins).
    const keptId = kept.client?.client_id;
    const sameKind = options.preRegistered
      ? keptId === options.preRegistered.client_id
      : options.clientMetadataUrl
        ? keptId === options.clientMetadataUrl
        : !!keptId && !/^https:/.test(keptId);
    this.client = options.preRegistered ?? (sameKind ? kept.client : undefined);
    this.stored = sameKind ? kept.tokens : undefined;
  }

  private keep(): void {
    this.store.save({ client: this.client, tokens: this.stored });
  }

  get redirectUrl(): string {
    return this.options.callback.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName ?? 'connected-app mcp-client',
      // Registered without its port (RFC 8252 §7.3, as Stytch's CLI guide registers it): any free port matches,
      // so the same registration serves every run, and registering again returns the same client (DCR dedup).
      redirect_uris: [portless(this.redirectUrl)],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A CLI cannot keep a secret: a public client, PKCE only (RFC 8252 §8.4).
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return randomBytes(24).toString('base64url');
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.client = info;
    this.keep();
  }

  tokens(): OAuthTokens | undefined {
    return this.stored;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.stored = tokens;
    this.keep();
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('No PKCE verifier: no authorization was started');
    return this.verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    const state = url.searchParams.get('state');
    if (!state) throw new Error('The authorization request carries no state');
    // Listen before the person can possibly come back.
    this.pending = this.options.callback.waitForCode(state, this.options.timeoutMs ?? 5 * 60_000);
    this.pending.catch(() => undefined);
    await this.options.openAuthorizationUrl(url);
  }

  /** The code of the authorization that `redirectToAuthorization` started. */
  async authorizationCode(): Promise<string> {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) throw new Error('No authorization is under way');
    return pending;
  }

  /**
   * A refresh token cannot widen a grant (RFC 6749 §6), so for a step-up it must not be tried: the SDK's
   * `auth()` refreshes whenever it holds one, and the 403 would come back unchanged
   * (modelcontextprotocol/typescript-sdk#2255). Dropping it sends the SDK to a new authorization instead.
   */
  forgetRefreshToken(): void {
    if (this.stored?.refresh_token) {
      const { refresh_token: _dropped, ...rest } = this.stored;
      this.stored = rest;
      this.keep();
    }
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.stored = undefined;
    if ((scope === 'all' || scope === 'client') && !this.options.preRegistered) this.client = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    this.keep();
  }
}
