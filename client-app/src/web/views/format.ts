/** Small formatting helpers for the pages. */
import { html, type SafeHtml } from '../../../../src/shared/html.ts';

export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : `${(abs / 3_600_000).toFixed(1)} h`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

/** A claim value for a table cell: times get a readable date, objects their JSON. */
export function claimValue(name: string, value: unknown): SafeHtml {
  if (typeof value === 'number' && TIME_CLAIMS.has(name)) {
    return html`<code>${value}</code> <span class="muted">${formatTime(value * 1000)}</span>`;
  }
  if (typeof value === 'string') return html`<code>${value}</code>`;
  return html`<code>${JSON.stringify(value)}</code>`;
}

export function claimsTable(claims: Record<string, unknown>): SafeHtml {
  const rows = Object.entries(claims).map(([k, v]) => html`<tr><th scope="row"><code>${k}</code></th><td>${claimValue(k, v)}</td></tr>`);
  return html`<div class="table-wrap"><table class="kv">${rows}</table></div>`;
}

export function json(value: unknown): SafeHtml {
  return html`<pre class="code"><code>${JSON.stringify(value, null, 2)}</code></pre>`;
}
