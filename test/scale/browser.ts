/**
 * A browser without a screen, enough for server-rendered OAuth flows: a cookie jar, manual redirects (each hop
 * recorded with the instance that served it), and form submission from the returned HTML.
 *
 * Like a browser, the jar is per host name, not per port: `127.0.0.1:A` and `127.0.0.1:B` share cookies, which
 * is why each app has a cookie name of its own.
 */
import { formSubmission, type FormOptions } from '../../src/shared/html-form.ts';
import { SERVED_BY } from './round-robin-proxy.ts';

export interface Hop {
  method: string;
  url: string;
  status: number;
  /** The instance that answered (`X-Served-By` from the round-robin proxy), if any. */
  servedBy: string | undefined;
}

export interface Page {
  url: string;
  status: number;
  body: string;
  headers: Headers;
}

interface Cookie {
  value: string;
  expiresAt: number | undefined;
}

export class Browser {
  readonly hops: Hop[] = [];
  private readonly jar = new Map<string, Map<string, Cookie>>();

  /** Cookies this browser would send to `url`, as `name=value` pairs. */
  cookiesFor(url: string): Map<string, string> {
    const now = Date.now();
    const out = new Map<string, string>();
    for (const [name, cookie] of this.jar.get(new URL(url).hostname) ?? []) {
      if (cookie.expiresAt === undefined || cookie.expiresAt > now) out.set(name, cookie.value);
    }
    return out;
  }

  private store(url: string, headers: Headers): void {
    const host = new URL(url).hostname;
    const cookies = this.jar.get(host) ?? new Map<string, Cookie>();
    this.jar.set(host, cookies);
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let expiresAt: number | undefined;
      for (const attribute of attributes) {
        const [key = '', attrValue = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') expiresAt = Date.now() + Number(attrValue) * 1000;
        else if (key.toLowerCase() === 'expires' && expiresAt === undefined) expiresAt = Date.parse(attrValue);
      }
      if (expiresAt !== undefined && expiresAt <= Date.now()) cookies.delete(name);
      else cookies.set(name, { value, expiresAt });
    }
  }

  private async request(method: string, url: string, body?: URLSearchParams): Promise<Response> {
    const cookie = [...this.cookiesFor(url)].map(([name, value]) => `${name}=${value}`).join('; ');
    const headers: Record<string, string> = { accept: 'text/html' };
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.store(url, res.headers);
    this.hops.push({ method, url, status: res.status, servedBy: res.headers.get(SERVED_BY) ?? undefined });
    return res;
  }

  /** Loads `url` and follows redirects (303 and 302 become GET, as browsers do), up to 20 hops. */
  async navigate(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Page> {
    let method = init.method ?? 'GET';
    let body = init.body;
    let current = url;
    for (let i = 0; i < 20; i += 1) {
      const res = await this.request(method, current, body);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        current = new URL(location, current).href;
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { url: current, status: res.status, body: await res.text(), headers: res.headers };
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /**
   * Submits the form of `page` whose action matches `action` (or the only form), with its hidden and prefilled
   * fields plus `fields`, and the submit button named in `button` (e.g. `{ decision: 'allow' }`).
   */
  async submit(page: Page, fields: Record<string, string> = {}, options: FormOptions = {}): Promise<Page> {
    const form = formSubmission(page.url, page.body, fields, options);
    if (!form) throw new Error(`no form${options.action ? ` with action ${options.action}` : ''} on ${page.url}:\n${page.body.slice(0, 2000)}`);
    return this.navigate(form.url, form);
  }
}
