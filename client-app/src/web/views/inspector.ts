/** The flow inspector: the timeline of the current login (or the last failed attempt) and what followed. */
import { html } from '../../../../src/shared/html.ts';
import type { ClientProfile } from '../../profiles.ts';
import type { Flow } from '../../inspector/timeline-store.ts';
import { formatTime } from './format.ts';
import { layout } from './layout.ts';
import { timelineView } from './timeline.ts';

const OUTCOME = {
  in_progress: ['info', 'In progress'],
  signed_in: ['ok', 'Signed in'],
  failed: ['failed', 'Failed'],
} as const;

export function inspectorPage({ flow, profile, signedIn }: { flow: Flow | undefined; profile: ClientProfile | undefined; signedIn: boolean }): string {
  const body = flow
    ? html`
      <section class="hero">
        <h1>Flow inspector</h1>
        <p class="lead">Every step of ${profile ? html`the login with <strong>${profile.label}</strong>` : 'the last login attempt'}, started ${formatTime(flow.startedAt)}.
          <span class="chip chip-${OUTCOME[flow.outcome][0]}">${OUTCOME[flow.outcome][1]}</span></p>
        <p class="note">Tokens, codes and secrets are redacted. JWTs are decoded; each ID token check shows what was expected and what came back.</p>
      </section>
      ${timelineView(flow.steps)}`
    : html`
      <section class="hero">
        <h1>Flow inspector</h1>
        <p class="lead">Nothing to show yet. <a href="/">Log in with one of the clients</a> and come back: each step of the flow will be listed here.</p>
      </section>`;
  return layout({ title: 'Flow inspector', current: 'inspector', signedIn, body });
}
