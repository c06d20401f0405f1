/** Renders the flow inspector's timeline; used by the inspector and by the error page. */
import { html, type SafeHtml } from '../../../../src/shared/html.ts';
import { lookup } from '../../error-catalogue.ts';
import type { Failure } from '../../errors.ts';
import type { CheckResult, IdTokenReport } from '../../inspector/id-token-report.ts';
import type { Param, Step } from '../../inspector/timeline.ts';
import type { RecordedExchange } from '../../inspector/trace.ts';
import { claimsTable, json } from './format.ts';

const STATUS_LABEL = { ok: 'OK', failed: 'Failed', info: 'Info' } as const;
const CHECK_LABEL = { pass: 'pass', fail: 'FAIL', skipped: 'not checked' } as const;

function paramsTable(params: Param[]): SafeHtml {
  const rows = params.map(
    (p) =>
      html`<tr><th scope="row"><code>${p.name}</code></th><td><code class="wrap">${p.value}</code>${p.note ? html`<div class="note">${p.note}</div>` : ''}</td></tr>`,
  );
  return html`<div class="table-wrap"><table class="kv">${rows}</table></div>`;
}

function statusClass(status: number | undefined): string {
  if (status === undefined) return 'sx';
  return status < 300 ? 's2' : status < 400 ? 's3' : status < 500 ? 's4' : 's5';
}

function exchangeView(x: RecordedExchange): SafeHtml {
  const pairs = (list: Array<[string, string]>) => paramsTable(list.map(([name, value]) => ({ name, value })));
  return html`
    <p class="http-line"><span class="method">${x.method}</span> <code class="wrap">${x.url}</code>
      ${x.error ? html`<span class="http-status s5">no response</span>` : html`<span class="http-status ${statusClass(x.status)}">${x.status}</span>`}
      <span class="muted">${x.ms} ms</span></p>
    ${x.error ? html`<p class="error-text">${x.error}</p>` : ''}
    <details><summary>Request</summary>
      ${x.requestHeaders.length ? html`<h4>Headers</h4>${pairs(x.requestHeaders)}` : ''}
      ${x.requestBody?.length ? html`<h4>Form body</h4>${pairs(x.requestBody)}` : ''}
      <p class="note">Secrets, codes and tokens are redacted.</p>
    </details>
    ${x.responseBody !== undefined ? html`<details${(x.status ?? 0) >= 400 ? html` open` : ''}><summary>Response body</summary>${json(x.responseBody)}</details>` : ''}`;
}

function checksTable(checks: CheckResult[]): SafeHtml {
  const rows = checks.map(
    (c) => html`<tr class="check-${c.status}">
      <th scope="row"><code>${c.name}</code></th>
      <td><span class="chip chip-${c.status}">${CHECK_LABEL[c.status]}</span></td>
      <td>${c.expected !== undefined ? html`<div><span class="muted">expected</span> <code class="wrap">${c.expected}</code></div>` : ''}
          ${c.actual !== undefined ? html`<div><span class="muted">got</span> <code class="wrap">${c.actual}</code></div>` : ''}
          <div class="note">${c.explain}</div></td>
    </tr>`,
  );
  return html`<div class="table-wrap"><table class="checks"><thead><tr><th>Check</th><th>Result</th><th>Details</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function idTokenView(report: IdTokenReport): SafeHtml {
  return html`
    <p><span class="chip chip-${report.verdict === 'accepted' ? 'pass' : 'fail'}">${report.verdict}</span> <code>${report.token}</code></p>
    ${checksTable(report.checks)}
    <details><summary>Header</summary>${json(report.header)}</details>
    <details${report.verdict === 'rejected' ? html` open` : ''}><summary>Claims</summary>${claimsTable(report.claims)}</details>`;
}

export function failureSummary(failure: Failure): SafeHtml {
  const entry = lookup(failure.key);
  return html`
    <p><strong>${entry.title}.</strong> ${entry.what}</p>
    <p class="muted">Code <code>${failure.code}</code>${failure.check ? html`, check <code>${failure.check}</code>` : ''}${failure.providerDescription ? html` — provider says: “${failure.providerDescription}”` : ''}</p>`;
}

function stepBody(step: Step): SafeHtml {
  switch (step.kind) {
    case 'authorization_request':
      return html`<p>The browser is sent to <code class="wrap">${step.endpoint}</code> with:</p>${paramsTable(step.params)}`;
    case 'callback':
      return html`<p>The provider redirected the browser back with:</p>${paramsTable(step.params)}`;
    case 'http':
      return exchangeView(step.exchange);
    case 'id_token':
      return idTokenView(step.report);
    case 'claims':
      return claimsTable(step.claims);
    case 'error':
      return failureSummary(step.failure);
    case 'note':
      return html`<p>${step.text}</p>`;
  }
}

export function timelineView(steps: Step[]): SafeHtml {
  const start = steps[0]?.at ?? 0;
  const items = steps.map(
    (step, i) => html`<li class="step step-${step.status}">
      <div class="step-marker" aria-hidden="true">${i + 1}</div>
      <section class="step-body">
        <header class="step-head">
          <h3>${step.title}</h3>
          <span class="chip chip-${step.status}">${STATUS_LABEL[step.status]}</span>
          <span class="step-time">+${step.at - start} ms</span>
        </header>
        ${stepBody(step)}
      </section>
    </li>`,
  );
  return html`<ol class="timeline">${items}</ol>`;
}
