/**
 * The test kit's browser without a screen, enough for server-rendered OAuth flows: `fetch` with manual
 * redirects, a cookie jar, form reading and submission from the returned HTML, and every hop recorded. The
 * integration, scale-out and conformance tests all drive the apps with it (Playwright drives real Chromium in
 * `e2e/`).
 *
 * Like a browser, the jar is keyed by host name, not port: `localhost:3000` and `localhost:3001` share cookies,
 * which is why each app has a cookie name of its own.
 */
import { formSubmission, type FormOptions } from './html-form.ts';

export interface Page {
  /** The URL that answered. */
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** The Location header exactly as the server sent it (null: none), for asserting what a server answers. */
  location: string | null;
  /** The Location header resolved against `url`: where a browser goes next. */
  redirect: string | undefined;
}

export interface Hop {
  method: string;
  url: string;
  status: number;
  /** The instance that answered (`X-Served-By`, set by the scale-out tests' round-robin proxy), if any. */
  servedBy: string | undefined;
}

/** Header a load balancer in front of several instances names the one that answered with. */
export const SERVED_BY = 'x-served-by';

export type FormFields = Record<string, string | string[] | undefined>;

interface Cookie {
  value: string;
  expiresAt: number | undefined;
}

export class Browser {
  readonly hops: Hop[] = [];
  private readonly jar = new Map<string, Map<string, Cookie>>();

  /** `baseUrl`: what relative URLs (`get('/login')`) and `cookie(name)` refer to. */
  constructor(readonly baseUrl?: string) {}

  /** One request, no redirect followed: `form` is sent urlencoded (repeated for an array, left out if undefined). */
  async request(url: string, init: { method?: string; form?: FormFields; body?: URLSearchParams; headers?: Record<string, string> } = {}): Promise<Page> {
    const target = new URL(url, this.baseUrl).href;
    let body = init.body;
    if (init.form) {
      body = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form)) for (const v of [value ?? []].flat()) body.append(name, v);
    }
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookie = [...this.cookiesFor(target)].map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const method = init.method ?? (body ? 'POST' : 'GET');
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    this.store(target, res.headers);
    this.hops.push({ method, url: target, status: res.status, servedBy: res.headers.get(SERVED_BY) ?? undefined });
    const location = res.headers.get('location');
    return {
      url: target,
      status: res.status,
      headers: res.headers,
      body: await res.text(),
      location,
      redirect: location === null ? undefined : new URL(location, target).href,
    };
  }

  get(url: string): Promise<Page> {
    return this.request(url);
  }

  post(url: string, form: FormFields): Promise<Page> {
    return this.request(url, { method: 'POST', form });
  }

  /** Follows the redirects of `page` (as GETs) until an answer that is not one, or until `stop` says so. */
  async follow(page: Page, stop?: (location: string) => boolean): Promise<Page> {
    let current = page;
    for (let i = 0; i < 20 && current.redirect && current.status >= 300 && current.status < 400; i++) {
      if (stop?.(current.redirect)) return current;
      current = await this.get(current.redirect);
    }
    return current;
  }

  /** Loads `url` and follows redirects as browsers do (303 and 302 become GET; 307 and 308 repeat the request). */
  async navigate(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Page> {
    let method = init.method ?? 'GET';
    let body = init.body;
    let current = new URL(url, this.baseUrl).href;
    for (let i = 0; i < 20; i += 1) {
      const page = await this.request(current, { method, ...(body ? { body } : {}) });
      if (page.status < 300 || page.status >= 400 || !page.redirect) return page;
      current = page.redirect;
      if (page.status !== 307 && page.status !== 308) {
        method = 'GET';
        body = undefined;
      }
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /**
   * Submits the form of `page` whose action matches `action` (or the first form), with its hidden and prefilled
   * fields plus `fields`, and the submit button named in `button` (e.g. `{ decision: 'allow' }`); follows redirects.
   */
  async submit(page: Page, fields: Record<string, string> = {}, options: FormOptions = {}): Promise<Page> {
    const form = formSubmission(page.url, page.body, fields, options);
    if (!form) throw new Error(`no form${options.action ? ` with action ${options.action}` : ''} on ${page.url}:\n${page.body.slice(0, 2000)}`);
    return this.navigate(form.url, form);
  }

  /** Cookies this browser would send to `url`, as name → value. */
  cookiesFor(url: string): Map<string, string> {
    const now = Date.now();
    const out = new Map<string, string>();
    for (const [name, cookie] of this.jar.get(new URL(url, this.baseUrl).hostname) ?? []) {
      if (cookie.expiresAt === undefined || cookie.expiresAt > now) out.set(name, cookie.value);
    }
    return out;
  }

  cookie(name: string, url = this.baseUrl): string | undefined {
    if (!url) throw new Error('cookie: no URL and no baseUrl');
    return this.cookiesFor(url).get(name);
  }

  setCookie(name: string, value: string, url = this.baseUrl): void {
    if (!url) throw new Error('setCookie: no URL and no baseUrl');
    this.cookies(new URL(url).hostname).set(name, { value, expiresAt: undefined });
  }

  private cookies(host: string): Map<string, Cookie> {
    const cookies = this.jar.get(host) ?? new Map<string, Cookie>();
    this.jar.set(host, cookies);
    return cookies;
  }

  private store(url: string, headers: Headers): void {
    const cookies = this.cookies(new URL(url).hostname);
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
      if (value === '' || (expiresAt !== undefined && expiresAt <= Date.now())) cookies.delete(name);
      else cookies.set(name, { value, expiresAt });
    }
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&#61;': '=', '&lt;': '<', '&gt;': '>', '&#96;': '`' };
const decodeEntities = (s: string) => s.replace(/&(amp|quot|#39|#61|lt|gt|#96);/g, (m) => ENTITIES[m] ?? m);

/** The value of a form field in a page (a hidden input: the CSRF token, the transaction id). */
export function hiddenField(page: Page | string, name: string): string {
  const body = typeof page === 'string' ? page : page.body;
  const match = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(body) ?? new RegExp(`value="([^"]*)"[^>]*name="${name}"`).exec(body);
  if (!match) throw new Error(`no field ${name} in page:\n${body.slice(0, 2000)}`);
  return decodeEntities(match[1]!);
}

/** The first form whose action contains `action`: its absolute URL and its hidden fields. */
export function findForm(page: Page, action: string): { action: string; fields: Record<string, string> } | undefined {
  for (const match of page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const target = /action="([^"]*)"/.exec(match[1] ?? '')?.[1];
    if (target === undefined || !decodeEntities(target).includes(action)) continue;
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const attrs = input[1] ?? '';
      if (!/type="hidden"/.test(attrs)) continue;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      if (name) fields[decodeEntities(name)] = decodeEntities(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    }
    return { action: new URL(decodeEntities(target), page.url).href, fields };
  }
  return undefined;
}

/** The action of the first form in a page, absolute. */
export function formAction(page: Page): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(page.body);
  if (!match) throw new Error(`no form in ${page.url}`);
  return new URL(decodeEntities(match[1]!), page.url).href;
}

/** The catalogue key the client-app's error page names (`data-error-key`). */
export function errorKey(page: Page): string | undefined {
  const key = /data-error-key="([^"]*)"/.exec(page.body)?.[1];
  return key === undefined ? undefined : decodeEntities(key);
}
