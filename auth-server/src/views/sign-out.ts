import { html, type SafeHtml } from '../../../src/shared/html.ts';
import { CSRF_FIELD } from '../csrf.ts';

/** Logout is a POST with the anti-forgery token: a link (GET) could be triggered by any page. */
export function signOutForm(csrfToken: string, label = 'Sign out', returnTo?: string): SafeHtml {
  return html`<form method="post" action="/logout" class="inline-form">
  <input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
  ${returnTo ? html`<input type="hidden" name="return_to" value="${returnTo}">` : ''}
  <button type="submit" class="link-button">${label}</button>
</form>`;
}
