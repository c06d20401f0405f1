/** The landing page: what this server is, and who is signed in. */
import { html, type SafeHtml } from '../../../src/shared/html.ts';
import type { Person } from '../stytch/backend.ts';
import { layout, type ViewContext } from './layout.ts';
import { signOutForm } from './sign-out.ts';

export function homePage(ctx: ViewContext, view: { person?: Person; csrfToken?: string }): SafeHtml {
  return layout(ctx, {
    title: 'Account',
    body: html`
<h1>${ctx.appName} account</h1>
${
  view.person
    ? html`<p class="lead">You are signed in as <strong>${view.person.name ?? view.person.email}</strong>${view.person.name ? html` (${view.person.email})` : ''}${view.person.organizationName ? html` in <strong>${view.person.organizationName}</strong>` : ''}.</p>
${view.csrfToken ? signOutForm(view.csrfToken) : ''}`
    : html`<p class="lead">You are not signed in.</p><p><a class="button primary" href="/login">Sign in</a></p>`
}
<p class="meta">Applications connected to ${ctx.appName} send you here to sign in and to approve what they may access.</p>`,
  });
}
