/** Home: the client profiles to log in with, and the signed-in state. */
import { html } from '../../../../src/shared/html.ts';
import type { IssuerStatus } from '../../oidc/issuers.ts';
import type { ClientProfile } from '../../profiles.ts';
import { layout } from './layout.ts';

export interface HomeModel {
  profiles: Array<{ profile: ClientProfile; status: IssuerStatus }>;
  signedIn?: { name: string; profileLabel: string } | undefined;
  /** After logout: what happened to the tokens. */
  signedOut?: 'revoked' | 'partial' | 'unsupported' | 'failed' | 'done' | undefined;
}

/** Logos shipped with the app, for the demo profiles. Anything else gets a monogram (no third-party images). */
const LOGOS: Record<string, string> = { 'insight-analytics': '/static/logo-insight.svg', 'acme-mobile': '/static/logo-acme.svg' };

const SIGNED_OUT_TEXT: Record<NonNullable<HomeModel['signedOut']>, string> = {
  revoked: 'You are signed out. The refresh and access tokens were revoked at the provider and the session was destroyed.',
  partial: 'You are signed out and the session was destroyed. Some tokens could not be revoked: see the server log.',
  failed: 'You are signed out and the session was destroyed, but the provider could not be reached to revoke the tokens.',
  unsupported: 'You are signed out and the session was destroyed. The provider has no revocation endpoint, so the tokens stay valid until they expire.',
  done: 'You are signed out.',
};

function profileCard({ profile, status }: HomeModel['profiles'][number]) {
  const logo = LOGOS[profile.id];
  const confidential = profile.authMethod !== 'none';
  return html`<article class="card profile">
    <div class="profile-head">
      ${logo ? html`<img class="avatar" src="${logo}" alt="" width="48" height="48">` : html`<span class="avatar monogram" aria-hidden="true">${profile.label.slice(0, 1).toUpperCase()}</span>`}
      <div>
        <h2>${profile.label}</h2>
        <p class="chips"><span class="chip chip-${confidential ? 'confidential' : 'public'}">${confidential ? 'Confidential client' : 'Public client'}</span>
          <span class="chip">${profile.authMethod}</span><span class="chip">PKCE S256</span></p>
      </div>
    </div>
    ${profile.description ? html`<p>${profile.description}</p>` : ''}
    <dl class="facts">
      <dt>Issuer</dt><dd><code class="wrap">${profile.issuer}</code> <span class="status status-${status.replace(/ /g, '-')}">${status}</span></dd>
      <dt>client_id</dt><dd><code class="wrap">${profile.clientId}</code></dd>
      <dt>Scopes</dt><dd class="chips">${profile.scopes.map((s) => html`<span class="chip">${s}</span>`)}</dd>
      <dt>Redirect URI</dt><dd><code class="wrap">${profile.redirectUri}</code></dd>
    </dl>
    <a class="button primary" href="/login?profile=${encodeURIComponent(profile.id)}">Log in with ${profile.label}</a>
  </article>`;
}

export function homePage(model: HomeModel): string {
  const body = html`
    ${model.signedOut ? html`<div class="notice notice-ok" role="status">${SIGNED_OUT_TEXT[model.signedOut]}</div>` : ''}
    ${
      model.signedIn
        ? html`<div class="notice notice-info" role="status">Signed in as <strong>${model.signedIn.name}</strong> through ${model.signedIn.profileLabel}. <a href="/account">Open your account</a> or <a href="/inspector">inspect the flow</a>.</div>`
        : ''
    }
    <section class="hero">
      <h1>Sign in with a Connected App</h1>
      <p class="lead">Each card is an OAuth client registered at an OpenID provider. Logging in runs the authorization code flow with PKCE; the <a href="/inspector">flow inspector</a> then shows every step: the request, the callback, the token exchange, each ID token check, and UserInfo.</p>
    </section>
    <section class="grid">${model.profiles.map(profileCard)}</section>`;
  return layout({ title: 'Home', current: 'home', signedIn: Boolean(model.signedIn), body });
}
