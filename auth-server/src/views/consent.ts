/**
 * The consent page. Everything on it comes from Stytch's authorizeStart (client, scopes, person) or from
 * this server (transaction id, CSRF token), and everything is escaped. The form carries no OAuth parameter:
 * the pending request is kept server-side, keyed by the transaction id.
 */
import { html, safeExternalUrl, type SafeHtml } from '../../../src/shared/html.ts';
import type { AuthorizeStartResult } from '../stytch/backend.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { brandMark, layout, type ViewContext } from './layout.ts';
import { describeScope } from './scopes.ts';
import { signOutForm } from './sign-out.ts';

export interface ConsentView {
  start: AuthorizeStartResult;
  transactionId: string;
  csrfToken: string;
  /** Where the browser goes afterwards, shown as text so that people can spot a look-alike. */
  redirectUri: string;
  /** The authorization URL, so that "Not you?" can sign out and come back to this request. */
  returnTo: string;
}

export function consentPage(ctx: ViewContext, view: ConsentView): SafeHtml {
  const { client, person, scopes } = view.start;
  const logo = safeExternalUrl(client.logoUrl);
  const grantable = scopes.filter((s) => s.grantable);
  const notGrantable = scopes.filter((s) => !s.grantable);
  const firstParty = client.type.startsWith('first_party');
  const destination = hostOf(view.redirectUri);
  return layout(ctx, {
    title: `Allow ${client.name}?`,
    body: html`
<div class="apps" aria-hidden="true">
  ${logo ? html`<img class="app-logo" src="${logo}" alt="" width="56" height="56">` : html`<span class="app-logo placeholder">${initial(client.name)}</span>`}
  <span class="connector"></span>
  ${brandMark(ctx.appName)}
</div>
<h1><span class="client-name">${client.name}</span> wants to access your ${ctx.appName} account</h1>
${client.description ? html`<p class="lead client-description">${client.description}</p>` : ''}
<p><span class="badge${firstParty ? ' trusted' : ''}">${firstParty ? `Made by ${ctx.appName}` : 'Third-party application'}</span></p>

<div class="account">
  <div class="who">
    <span class="muted">Signed in as</span>
    <strong>${person.name ?? person.email}</strong>
    <span class="muted">${person.name ? person.email : ''}${person.name && person.organizationName ? ' · ' : ''}${person.organizationName ?? ''}</span>
  </div>
  ${signOutForm(view.csrfToken, 'Not you?', view.returnTo)}
</div>

<h2>This will allow ${client.name} to:</h2>
<ul class="scopes">
${grantable.map((s) => {
  const text = describeScope(s, ctx.appName);
  return html`<li><strong>${text.title}</strong><span>${text.detail}</span></li>`;
})}
</ul>
${
  notGrantable.length > 0
    ? html`<h2>Your role does not let you grant:</h2>
<ul class="scopes denied">
${notGrantable.map((s) => {
  const text = describeScope(s, ctx.appName);
  return html`<li><strong>${text.title}</strong><span>${text.detail}</span></li>`;
})}
</ul>`
    : ''
}

<form method="post" action="/oauth/authorize/submit" class="actions">
  <input type="hidden" name="${CSRF_FIELD}" value="${view.csrfToken}">
  <input type="hidden" name="transaction_id" value="${view.transactionId}">
  <button type="submit" name="decision" value="deny" class="button secondary">Deny</button>
  <button type="submit" name="decision" value="allow" class="button primary">Allow</button>
</form>
<p class="meta">You will be sent back to <strong>${destination}</strong>. You can remove ${client.name}'s access at any time.</p>`,
  });
}

function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}

function hostOf(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || url.protocol;
  } catch {
    return uri;
  }
}
