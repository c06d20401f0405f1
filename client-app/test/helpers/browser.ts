/**
 * A tiny browser for driving logins without one: fetch with `redirect: 'manual'` and a cookie jar that, like a
 * browser, keys cookies by host name only (localhost:3000 and localhost:3001 share cookies).
 */
export interface Page {
  url: string;
  status: number;
  location?: string;
  headers: Headers;
  text: string;
}

export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  store(url: string, headers: Headers): void {
    const host = new URL(url).hostname;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        return (k?.toLowerCase() === 'max-age' && Number(v) <= 0) || (k?.toLowerCase() === 'expires' && Date.parse(v ?? '') < Date.now());
      });
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    const jar = this.jars.get(new URL(url).hostname);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  get(host: string, name: string): string | undefined {
    return this.jars.get(host)?.get(name);
  }

  clear(host: string): void {
    this.jars.delete(host);
  }
}

export class Browser {
  constructor(readonly jar = new CookieJar()) {}

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page> {
    const headers: Record<string, string> = {};
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.jar.store(url, res.headers);
    const location = res.headers.get('location');
    return { url, status: res.status, location: location ? new URL(location, url).href : undefined, headers: res.headers, text: await res.text() };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request(url, { form });
  }

  /** Follows redirects (GET) until a response that is not a redirect, or until `stop` says so. */
  async follow(page: Page, stop?: (location: string) => boolean): Promise<Page> {
    let current = page;
    for (let i = 0; i < 20 && current.location && current.status >= 300 && current.status < 400; i++) {
      if (stop?.(current.location)) return current;
      current = await this.get(current.location);
    }
    return current;
  }
}

/** The value of a form field in a page (hidden inputs). */
export function formField(page: Page, name: string): string {
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.text) ?? new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(page.text);
  if (!match) throw new Error(`no field ${name} in ${page.url}`);
  return match[1]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#61;', '=');
}

/** The action of the first form in a page. */
export function formAction(page: Page): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no form in ${page.url}`);
  return new URL(match[1]!.replaceAll('&amp;', '&'), page.url).href;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#61;': '=', '&lt;': '<', '&gt;': '>', '&#96;': '`' };
const unescape = (s: string) => s.replace(/&(amp|quot|#39|#61|lt|gt|#96);/g, (m) => ENTITIES[m] ?? m);

/** The first form whose action contains `action`: its absolute URL and its hidden fields. */
export function findForm(page: Page, action: string): { action: string; fields: Record<string, string> } | undefined {
  for (const match of page.text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const target = /action="([^"]*)"/.exec(match[1] ?? '')?.[1];
    if (target === undefined || !unescape(target).includes(action)) continue;
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const attrs = input[1] ?? '';
      if (!/type="hidden"/.test(attrs)) continue;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      if (name) fields[unescape(name)] = unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    }
    return { action: new URL(unescape(target), page.url).href, fields };
  }
  return undefined;
}

/** The catalogue key the client-app's error page names (`data-error-key`). */
export function errorKey(page: Page): string | undefined {
  return /data-error-key="([^"]*)"/.exec(page.text)?.[1]?.replaceAll('&#61;', '=');
}
