/** The error page. Texts come from PAGE_ERRORS (keyed on the code); details are rendered escaped, never as links. */
import { html, type SafeHtml } from '../../../src/shared/html.ts';
import type { PageErrorCode, PageErrorDetails, PageErrorText } from '../errors.ts';
import { layout, type ViewContext } from './layout.ts';

export function errorPage(ctx: ViewContext, error: { code: PageErrorCode; text: PageErrorText; details: PageErrorDetails }, requestId: string): SafeHtml {
  const { code, text, details } = error;
  const fix = text.fix?.(details);
  return layout(ctx, {
    title: text.title,
    wide: true,
    body: html`
<div class="icon-badge error" aria-hidden="true">!</div>
<h1>${text.title}</h1>
<p class="lead" data-error-code="${code}">${text.message(details)}</p>
${fix ? html`<div class="fix"><h2>How to fix it</h2><p>${fix}</p></div>` : ''}
<p class="meta">Error <code>${code}</code> · HTTP ${text.status} · request <code>${requestId}</code></p>`,
  });
}
