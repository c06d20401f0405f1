/** The page frame shared by every page: product header, card, footer. No script anywhere. */
import { html, type SafeHtml } from '../../../src/shared/html.ts';

export interface ViewContext {
  /** The product this server signs people in to, e.g. "Acme". */
  appName: string;
}

export function brandMark(name: string): SafeHtml {
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  return html`<span class="mark" aria-hidden="true">${initial}</span>`;
}

export function layout(ctx: ViewContext, opts: { title: string; body: SafeHtml; wide?: boolean }): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.title} · ${ctx.appName}</title>
<link rel="stylesheet" href="/assets/auth.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<main class="shell${opts.wide ? ' wide' : ''}">
<header class="brand"><a href="/">${brandMark(ctx.appName)}<span>${ctx.appName}</span></a></header>
<section class="card">
${opts.body}
</section>
<footer class="footer">Secured by Stytch · Connected Apps</footer>
</main>
</body>
</html>
`;
}
