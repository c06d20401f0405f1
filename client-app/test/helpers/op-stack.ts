/** The client-app wired to a node-oidc-provider OP, plus the helpers the tests share. */
import type { ClientMetadata } from 'oidc-provider';
import { loadClientAppConfig } from '../../src/config.ts';
import { resolveProfiles, type ProfileInput } from '../../src/profiles.ts';
import { startClientApp, type RunningClientApp } from '../../src/server.ts';
import { type Browser, formAction, hiddenField, type Page } from '../../../test/support/browser.ts';

export { errorKey } from '../../../test/support/browser.ts';
import { reserveOp, type TestOp } from './op.ts';
import { createTap, type Tap } from './tap.ts';

export const CONFIDENTIAL = { client_id: 'rp-confidential', client_secret: 'rp-secret-0123456789-abcdefghij' };
export const PUBLIC = { client_id: 'rp-public' };

export interface OpStack {
  op: TestOp;
  app: RunningClientApp;
  tap: Tap;
  close(): Promise<void>;
}

export async function startOpStack({ httpTimeoutMs = 5000 }: { httpTimeoutMs?: number } = {}): Promise<OpStack> {
  const op = await reserveOp();
  const tap = createTap();
  const scope = 'openid email profile offline_access';
  const inputs = (): ProfileInput[] => [
    { id: 'confidential', label: 'Confidential RP', issuer: op.issuer, ...CONFIDENTIAL, scope },
    { id: 'public', label: 'Public RP', issuer: op.issuer, ...PUBLIC, scope },
    {
      id: 'post',
      label: 'client_secret_post RP',
      issuer: op.issuer,
      client_id: 'rp-post',
      client_secret: 'rp-post-secret-0123456789-abcdef',
      token_endpoint_auth_method: 'client_secret_post',
      scope,
    },
    { id: 'wrong-secret', label: 'Wrong secret', issuer: op.issuer, client_id: CONFIDENTIAL.client_id, client_secret: 'not-the-secret', scope },
    { id: 'down', label: 'Provider down', issuer: 'http://127.0.0.1:9', client_id: 'nobody', scope },
  ];
  const config = {
    ...loadClientAppConfig({ CLIENT_APP_PORT: '0', CLIENT_APP_SESSION_DB: ':memory:', LOG_LEVEL: 'silent' }),
    httpTimeoutMs,
    profiles: (url: string) => resolveProfiles(inputs(), url),
  };
  // The negative table provokes far more failed callbacks from 127.0.0.1 than the production limit allows;
  // the limits have their own tests (test/scale/rate-limits.test.ts).
  const app = await startClientApp(config, { fetch: tap.fetch, dangerouslyDisableRateLimits: true });
  const common: Partial<ClientMetadata> = {
    redirect_uris: [`${app.url}/callback`],
    post_logout_redirect_uris: [`${app.url}/`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  await op.start([
    { ...CONFIDENTIAL, ...common, token_endpoint_auth_method: 'client_secret_basic' },
    { ...PUBLIC, ...common, token_endpoint_auth_method: 'none' },
    { client_id: 'rp-post', client_secret: 'rp-post-secret-0123456789-abcdef', ...common, token_endpoint_auth_method: 'client_secret_post' },
  ]);
  return {
    op,
    app,
    tap,
    close: async () => {
      await app.close();
      await op.close();
    },
  };
}

export interface LoginOptions {
  /** Decline at the provider's consent screen (oidc-provider's abort: access_denied). */
  deny?: boolean;
}

/** Drives oidc-provider's dev login and consent forms; returns the callback URL the provider redirected to. */
export async function authorizeAtOp(stack: OpStack, browser: Browser, profile: string, options: LoginOptions = {}): Promise<string> {
  const start = await browser.get(`${stack.app.url}/login?profile=${profile}`);
  if (start.status !== 303) throw new Error(`/login answered ${start.status}: ${start.body.slice(0, 300)}`);
  let page: Page = await browser.follow(start, (loc) => loc.startsWith(stack.app.url));
  for (let i = 0; i < 4 && !page.redirect?.startsWith(stack.app.url); i++) {
    if (page.status !== 200) throw new Error(`unexpected ${page.status} at ${page.url}`);
    const prompt = hiddenField(page, 'prompt');
    if (options.deny && prompt === 'consent') {
      page = await browser.get(page.url.replace(/\/?$/, '/abort'));
    } else {
      page = await browser.post(formAction(page), prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt });
    }
    page = await browser.follow(page, (loc) => loc.startsWith(stack.app.url));
  }
  if (!page.redirect?.startsWith(`${stack.app.url}/callback`))
    throw new Error(`the provider did not redirect to the callback (at ${page.url}, status ${page.status})`);
  return page.redirect;
}

/** The CSRF token of the account page's forms. */
export async function csrfOf(stack: OpStack, browser: Browser): Promise<string> {
  const account = await browser.get(`${stack.app.url}/account`);
  if (account.status !== 200) throw new Error(`/account answered ${account.status}`);
  return hiddenField(account, '_csrf');
}

/** Whether this browser has a signed-in session at the client-app. */
export async function isSignedIn(stack: OpStack, browser: Browser): Promise<boolean> {
  const account = await browser.get(`${stack.app.url}/account`);
  return account.status === 200;
}

export function tokenCalls(stack: OpStack): number {
  return stack.tap.calls.filter((c) => c.grantType).length;
}
