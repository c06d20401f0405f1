/**
 * Enough of a browser for a server-rendered OAuth flow: `fetch` with manual redirects and a cookie jar.
 * Like a real browser the jar is keyed by host name, not port (localhost:3000 and :3001 share it).
 */
export interface Page {
  status: number;
  headers: Headers;
  location: string | null;
  body: string;
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(readonly baseUrl: string) {}

  cookie(name: string): string | undefined {
    return this.jar.get(new URL(this.baseUrl).hostname)?.get(name);
  }

  setCookie(name: string, value: string): void {
    const host = new URL(this.baseUrl).hostname;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  async get(path: string): Promise<Page> {
    return this.request(path, { method: 'GET' });
  }

  async post(path: string, fields: Record<string, string | string[] | undefined>): Promise<Page> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of [v ?? []].flat()) body.append(k, value);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async request(path: string, init: RequestInit): Promise<Page> {
    const url = new URL(path, this.baseUrl);
    const cookies = this.jar.get(url.hostname);
    const headers = new Headers(init.headers);
    if (cookies && cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.store(url.hostname, line);
    return { status: res.status, headers: res.headers, location: res.headers.get('location'), body: await res.text() };
  }

  private store(host: string, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attributes.some((a) => {
      const [k, v] = a.split('=').map((s) => s.trim().toLowerCase());
      return (k === 'max-age' && Number(v) <= 0) || (k === 'expires' && Date.parse(v ?? '') < Date.now());
    });
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    if (expired || value === '') this.jar.get(host)!.delete(name);
    else this.jar.get(host)!.set(name, value);
  }
}

/** The value of a hidden field in a page (the CSRF token, the transaction id). */
export function hiddenField(page: Page | string, name: string): string {
  const body = typeof page === 'string' ? page : page.body;
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  if (!match) throw new Error(`no field ${name} in page:\n${body.slice(0, 2000)}`);
  return match[1]!.replaceAll('&#61;', '=').replaceAll('&amp;', '&');
}
