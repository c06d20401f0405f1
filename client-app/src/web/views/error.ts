/** The error page: what happened, the likely cause, what to check; then the technical facts and the timeline. */
import { html } from '../../../../src/shared/html.ts';
import type { CatalogueEntry } from '../../error-catalogue.ts';
import type { Failure } from '../../errors.ts';
import type { Step } from '../../inspector/timeline.ts';
import { layout } from './layout.ts';
import { timelineView } from './timeline.ts';

export function errorPage({
  entry,
  failure,
  steps,
  requestId,
  signedIn,
}: {
  entry: CatalogueEntry;
  failure: Failure;
  steps: Step[];
  requestId: string;
  signedIn: boolean;
}): string {
  const facts: Array<[string, string]> = [
    ['Error code', failure.code],
    ...(failure.check ? [['Failed check', failure.check] as [string, string]] : []),
    ...(failure.providerStatus ? [['Provider HTTP status', String(failure.providerStatus)] as [string, string]] : []),
    ...Object.entries(failure.facts),
    ['Technical detail', failure.detail],
    ['Request id', requestId],
  ];
  const body = html`
    <section class="error-panel" role="alert" data-error-key="${failure.key}">
      <p class="eyebrow">Login stopped · <code>${failure.code}</code></p>
      <h1>${entry.title}</h1>
      <h2>What happened</h2>
      <p>${entry.what}</p>
      ${failure.providerDescription ? html`<p class="provider-said">The provider said: <q>${failure.providerDescription}</q></p>` : ''}
      <h2>Likely cause</h2>
      <p>${entry.cause}</p>
      <h2>What to check</h2>
      <ul>${entry.check.map((c) => html`<li>${c}</li>`)}</ul>
      <p class="actions"><a class="button primary" href="/">Back to the home page</a>${steps.length ? html` <a class="button secondary" href="#timeline">See the steps</a>` : ''}</p>
    </section>
    <details class="card"><summary>Technical details</summary>
      <dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd><code class="wrap">${v}</code></dd>`)}</dl>
    </details>
    ${steps.length ? html`<section id="timeline"><h2>What happened, step by step</h2>${timelineView(steps)}</section>` : ''}`;
  return layout({ title: entry.title, signedIn, body });
}
