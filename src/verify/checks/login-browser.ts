/**
 * The live login: headless Chromium opens the authorization request (state, nonce, PKCE S256, built by
 * openid-client as the app builds it) at the Authorization URL, signs in as the test user, accepts consent, and
 * stops at the redirect_uri. The steps that follow (code exchange, ID token, userinfo, refresh, revocation) use
 * what it brings back.
 */
import * as oidc from 'openid-client';
import { redact } from '../../shared/log.ts';
import { DASHBOARD } from '../dashboard.ts';
import { BrowserLoginError, browserLogin } from '../login/browser.ts';
import { openidConfiguration } from '../oidc.ts';
import { fail, pass, skip } from '../outcome.ts';
import type { Check, DashboardLocation } from '../types.ts';

const FIXES: Record<BrowserLoginError['code'], string> = {
  ERR_BROWSER_LAUNCH: 'Install Chromium (Debian: apt-get install chromium) or point VERIFY_BROWSER at it; or run with --no-login.',
  ERR_LOGIN_REJECTED:
    'The test user could not sign in: check VERIFY_USER_EMAIL / VERIFY_USER_PASSWORD (and VERIFY_ORGANIZATION for B2B) against a user of this project and environment.',
  ERR_LOGIN_NO_FORM:
    'The Authorization URL showed neither a login form nor a consent page: open the page in the message (or the screenshot) to see its error; a refused client_id or redirect_uri is the usual cause.',
  ERR_LOGIN_ERROR_PAGE: 'The Authorization URL failed during the flow: its page (or the screenshot) says why.',
  ERR_LOGIN_TIMEOUT:
    "The flow did not reach the redirect_uri in time: check that the Authorization URL calls Stytch's authorize API after consent and redirects (303) to the redirect_uri it returns.",
};

const WHERE: Record<BrowserLoginError['code'], DashboardLocation | undefined> = {
  ERR_BROWSER_LAUNCH: undefined,
  ERR_LOGIN_REJECTED: DASHBOARD.users,
  ERR_LOGIN_NO_FORM: DASHBOARD.authorizationUrl,
  ERR_LOGIN_ERROR_PAGE: DASHBOARD.authorizationUrl,
  ERR_LOGIN_TIMEOUT: DASHBOARD.authorizationUrl,
};

export const loginBrowser: Check = {
  id: 'login.browser',
  title: 'Live login in headless Chromium through the Authorization URL (consent accepted)',
  required: true,
  needs: ['authorization-url.answers', 'discovery.endpoints'],
  // Stytch refuses the login before any redirect for these; the browser would only find the same error page.
  pointlessIf: ['project.environment', 'client.exists', 'client.redirect-uri', 'client.scopes'],
  async run(ctx) {
    const { target } = ctx;
    if (!target.login) return skip('not run: --no-login');
    if (!target.user) {
      return skip('not run: no test user', 'Set VERIFY_USER_EMAIL and VERIFY_USER_PASSWORD (a user of this project) for a real login in headless Chromium.');
    }
    const config = openidConfiguration(ctx);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: target.redirectUri,
      scope: target.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    try {
      const { callbackUrl, steps } = await browserLogin({
        authorizationUrl,
        redirectUri: target.redirectUri,
        user: target.user,
        executablePath: target.browserPath,
        timeoutMs: target.timeoutMs,
        artifactsDir: target.artifactsDir,
        progress: (step) => ctx.progress(`live login: ${step}`),
      });
      ctx.facts.authorization = { callbackUrl, state, nonce, codeVerifier };
      const code = callbackUrl.searchParams.get('code');
      return pass(
        `${target.user.email} signed in; back at the redirect_uri ${code ? `with a code (${redact(code, 4)})` : `without a code${callbackUrl.searchParams.get('error') ? ` (error=${callbackUrl.searchParams.get('error')})` : ''}`} · ${steps.map((s) => `${s.step} ${s.ms} ms`).join(', ')}`,
        { user: target.user.email, steps },
      );
    } catch (err) {
      if (!(err instanceof BrowserLoginError)) throw err;
      const page = err.page ? ` at ${err.page.url}${err.page.title ? ` ("${err.page.title}")` : ''}${err.page.text ? `: ${err.page.text}` : ''}` : '';
      return fail(`${err.message}${page}${err.screenshot ? ` [screenshot: ${err.screenshot}]` : ''}`, FIXES[err.code], WHERE[err.code], {
        code: err.code,
        page: err.page,
        screenshot: err.screenshot,
        steps: err.steps,
      });
    }
  },
};
