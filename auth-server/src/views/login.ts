/** The login page: email + password, and for B2B the organization. */
import { html, type SafeHtml } from '../../../src/shared/html.ts';
import type { ProjectType } from '../../../src/shared/project.ts';
import type { LoginErrorCode } from '../login/errors.ts';
import type { Person } from '../stytch/backend.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { layout, type ViewContext } from './layout.ts';
import { signOutForm } from './sign-out.ts';

const LOGIN_ERRORS: Record<LoginErrorCode, string> = {
  invalid_credentials: 'That email and password do not match an account. Check them and try again.',
  organization_required: 'Enter your organization to sign in.',
  missing_fields: 'Enter your email address and password.',
  mfa_required: 'Your organization requires a second factor, which this sign-in page does not offer yet.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
};

const B2B_INVALID = 'That organization, email and password do not match an account. Check them and try again.';

export interface LoginView {
  projectType: ProjectType;
  csrfToken: string;
  returnTo: string;
  email?: string;
  organization?: string;
  error?: LoginErrorCode;
  /** The demo account of the local emulator, shown only when the demo project is in use. */
  demo?: { email: string; password: string; organization?: string };
  signedInAs?: Person;
}

export function loginPage(ctx: ViewContext, view: LoginView): SafeHtml {
  const b2b = view.projectType === 'b2b';
  const error = view.error === 'invalid_credentials' && b2b ? B2B_INVALID : view.error ? LOGIN_ERRORS[view.error] : undefined;
  return layout(ctx, {
    title: 'Sign in',
    body: html`
<h1>Sign in to ${ctx.appName}</h1>
<p class="lead">to continue to the application that sent you here.</p>
${
  view.signedInAs
    ? html`<div class="notice">You are already signed in as <strong>${view.signedInAs.email}</strong>. Signing in again replaces that session.</div>`
    : ''
}
${error ? html`<div class="alert" role="alert">${error}</div>` : ''}
<form method="post" action="/login" class="form" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${view.csrfToken}">
  <input type="hidden" name="return_to" value="${view.returnTo}">
  ${
    b2b
      ? html`<label for="organization">Organization</label>
  <input id="organization" name="organization" type="text" autocomplete="organization" autocapitalize="none" spellcheck="false" required placeholder="your-team" value="${view.organization ?? ''}">`
      : ''
  }
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${view.email ?? ''}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" class="button primary">Sign in</button>
</form>
${
  view.demo
    ? html`<aside class="demo"><strong>Demo account</strong> (local emulator)<br>
  ${view.demo.organization ? html`Organization <code>${view.demo.organization}</code> · ` : ''}<code>${view.demo.email}</code> · <code>${view.demo.password}</code></aside>`
    : ''
}
${view.signedInAs ? signOutForm(view.csrfToken, 'Sign out instead') : ''}`,
  });
}
