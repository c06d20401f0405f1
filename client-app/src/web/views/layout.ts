/** The page frame every page shares. No inline script or style: the CSP forbids both. */
import { html, type SafeHtml } from '../../../../src/shared/html.ts';

export interface LayoutOptions {
  title: string;
  /** Which navigation item is current. */
  current?: 'home' | 'account' | 'inspector';
  signedIn?: boolean;
  body: SafeHtml;
}

export function layout({ title, current, signedIn, body }: LayoutOptions): string {
  const link = (href: string, key: LayoutOptions['current'], label: string) =>
    html`<a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Connected App</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/logo.svg" type="image/svg+xml">
</head>
<body>
<header class="topbar">
  <div class="topbar-inner">
    <a class="brand" href="/"><img src="/static/logo.svg" alt="" width="28" height="28"><span>Connected App</span><span class="tag">reference RP</span></a>
    <nav aria-label="Main">
      ${link('/', 'home', 'Home')}
      ${signedIn ? link('/account', 'account', 'Account') : ''}
      ${link('/inspector', 'inspector', 'Flow inspector')}
    </nav>
  </div>
</header>
<main class="container">
${body}
</main>
<footer class="footer">
  <div class="container">A standards-only OpenID Connect relying party built on <code>openid-client</code>: authorization code flow with PKCE, tokens kept server-side.</div>
</footer>
</body>
</html>`.toString();
}
