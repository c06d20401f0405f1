/** The signed-in page: who logged in, what was granted, the tokens' state, and the actions. */
import { html } from '../../../../src/shared/html.ts';
import { redact } from '../../../../src/shared/log.ts';
import type { ClientProfile } from '../../profiles.ts';
import type { SignedIn } from '../../session-data.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { claimsTable, formatDuration, formatTime } from './format.ts';
import { layout } from './layout.ts';

export function displayName(auth: SignedIn): string {
  const pick = (key: string) => {
    const v = auth.userinfo?.[key] ?? auth.idClaims[key];
    return typeof v === 'string' && v ? v : undefined;
  };
  return pick('name') ?? ([pick('given_name'), pick('family_name')].filter(Boolean).join(' ') || undefined) ?? pick('email') ?? auth.original.sub;
}

/** Stytch wraps every response in `request_id` and `status_code`; they are not claims about the person. */
const ENVELOPE = new Set(['request_id', 'status_code']);
const claimsOnly = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([k]) => !ENVELOPE.has(k)));

export function accountPage({
  auth,
  profile,
  csrf,
  now = Date.now(),
}: {
  auth: SignedIn;
  profile: ClientProfile | undefined;
  csrf: string;
  now?: number;
}): string {
  const t = auth.tokens;
  const email = auth.userinfo?.email ?? auth.idClaims.email;
  const form = (action: string, label: string, kind: string) =>
    html`<form method="post" action="${action}"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="button ${kind}" type="submit">${label}</button></form>`;
  const body = html`
    <section class="hero account-hero">
      <span class="avatar monogram large" aria-hidden="true">${displayName(auth).slice(0, 1).toUpperCase()}</span>
      <div>
        <h1>${displayName(auth)}</h1>
        <p class="lead">${typeof email === 'string' ? html`${email} · ` : ''}signed in through <strong>${profile?.label ?? auth.profileId}</strong> ${formatDuration(auth.signedInAt - now)}</p>
      </div>
    </section>
    <section class="actions" aria-label="Actions">
      ${form('/refresh', 'Refresh tokens', 'primary')}
      ${form('/userinfo', 'Call UserInfo again', 'secondary')}
      <a class="button secondary" href="/inspector">Open the flow inspector</a>
      ${form('/logout', 'Log out', 'danger')}
    </section>
    <div class="grid two">
      <article class="card">
        <h2>Granted scopes</h2>
        <p class="chips">${t.scope
          .split(' ')
          .filter(Boolean)
          .map((s) => html`<span class="chip">${s}</span>`)}</p>
        <h2>Tokens</h2>
        <p class="note">Kept in the server-side session only; shown redacted.</p>
        <dl class="facts">
          <dt>Access token</dt><dd><code>${redact(t.accessToken)}</code> <span class="chip">${t.tokenType}</span></dd>
          <dt>Expires</dt><dd>${t.expiresAt ? html`${formatTime(t.expiresAt)} <span class="muted">(${formatDuration(t.expiresAt - now)})</span>` : html`<span class="muted">not stated by the provider</span>`}</dd>
          <dt>Refresh token</dt><dd>${t.refreshToken ? html`<code>${redact(t.refreshToken)}</code>` : html`<span class="muted">none (offline_access not granted)</span>`}</dd>
          <dt>ID token</dt><dd><code>${redact(t.idToken)}</code></dd>
          <dt>Last refresh</dt><dd>${auth.refreshedAt ? formatTime(auth.refreshedAt) : html`<span class="muted">not yet</span>`}</dd>
        </dl>
      </article>
      <article class="card">
        <h2>ID token claims</h2>
        ${claimsTable(auth.idClaims)}
      </article>
      <article class="card">
        <h2>UserInfo</h2>
        ${auth.userinfo ? claimsTable(claimsOnly(auth.userinfo)) : html`<p class="muted">The provider has no UserInfo endpoint.</p>`}
      </article>
    </div>`;
  return layout({ title: 'Account', current: 'account', signedIn: true, body });
}
