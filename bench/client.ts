/**
 * A browser without a screen for the load generator: a cookie jar per origin, manual redirects (each hop timed
 * and named as a step), and form submission from the returned HTML. Loopback only: any other URL is refused.
 *
 * Each virtual user is a separate person on a separate machine: it gets its own keep-alive connections
 * (`UserAgent`), from its own loopback source address on Linux (127.0.0.2, 127.0.0.3, …; all of 127/8 is
 * loopback there). The apps' rate limits are per client IP, as they should be; a whole crowd behind one IP
 * would be a different benchmark.
 */
import { platform } from 'node:os';
import { Agent, request, type Dispatcher } from 'undici';
import { isLoopbackUrl } from '../src/shared/config.ts';
import { formSubmission, type FormOptions } from '../test/support/html-form.ts';

export interface Page {
  url: string;
  status: number;
  body: string;
}

/** One HTTP exchange of a flow, named e.g. `auth-server POST /login`. */
export interface Hop {
  step: string;
  ms: number;
}

/** No request of a flow may hang the benchmark: a server that stops answering fails the flow instead. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The connections of one virtual user (its "machine"), from its own source address. */
export class UserAgent {
  readonly dispatcher: Dispatcher;
  readonly sourceAddress: string;

  constructor(index: number) {
    // 127.0.0.2 … 127.0.0.254, then round again; other systems only have 127.0.0.1 on the loopback interface.
    this.sourceAddress = platform() === 'linux' ? `127.0.0.${2 + (index % 253)}` : '127.0.0.1';
    this.dispatcher = new Agent({
      localAddress: this.sourceAddress,
      connect: { timeout: REQUEST_TIMEOUT_MS },
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: 10_000,
      // Browsers open up to 6 connections per origin; a flow here never has more than one request in flight.
      connections: 6,
    });
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

export class BenchBrowser {
  readonly hops: Hop[] = [];
  private readonly jar = new Map<string, Map<string, string>>();

  /** `names` maps an origin to the name used in step labels (e.g. the client-app's URL → `client-app`). */
  constructor(
    private readonly names: ReadonlyMap<string, string>,
    private readonly agent: UserAgent,
  ) {}

  /** Forgets the cookies of one origin (a new visitor there), keeping the others. */
  forget(origin: string): void {
    this.jar.delete(origin);
  }

  private store(origin: string, setCookie: string | string[] | undefined): void {
    if (!setCookie) return;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, cookies);
    for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(eq + 1));
    }
  }

  private async request(method: string, url: URL, body?: URLSearchParams): Promise<{ status: number; location: string | undefined; body: string }> {
    if (!isLoopbackUrl(url)) throw new Error(`the benchmark only talks to loopback addresses, not ${url.origin}`);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookies = this.jar.get(url.origin);
    if (cookies?.size) headers.cookie = [...cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const started = performance.now();
    const res = await request(url, { method: method as 'GET' | 'POST', headers, body: body?.toString(), dispatcher: this.agent.dispatcher });
    const text = await res.body.text();
    this.hops.push({ step: `${this.names.get(url.origin) ?? url.origin} ${method} ${stepPath(url.pathname)}`, ms: performance.now() - started });
    this.store(url.origin, res.headers['set-cookie']);
    const location = res.headers.location;
    return { status: res.statusCode, location: Array.isArray(location) ? location[0] : location, body: text };
  }

  /** Loads `url` and follows redirects (303 and 302 become GET, as browsers do), up to 20 hops. */
  async navigate(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Page> {
    let method = init.method ?? 'GET';
    let body = init.body;
    let current = new URL(url);
    for (let i = 0; i < 20; i += 1) {
      const res = await this.request(method, current, body);
      if (res.status >= 300 && res.status < 400 && res.location) {
        current = new URL(res.location, current);
        if (res.status !== 307 && res.status !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { url: current.href, status: res.status, body: res.body };
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /** Submits the form of `page` whose action matches `action` (or the first), with its prefilled fields plus `fields`. */
  async submit(page: Page, fields: Record<string, string> = {}, options: FormOptions = {}): Promise<Page> {
    const form = formSubmission(page.url, page.body, fields, options);
    if (!form) throw new FlowError(`no form${options.action ? ` with action ${options.action}` : ''}`, page);
    return this.navigate(form.url, form);
  }
}

/** A flow that did not end where it should; carries the page it ended on, for the error sample in the report. */
export class FlowError extends Error {
  /** Short and stable, to count failures by kind: e.g. `429 /oauth/authorize/submit`. */
  readonly kind: string;

  constructor(expected: string, page: Page) {
    super(`${expected}: got ${page.status} ${page.url}\n${page.body.replace(/\s+/g, ' ').slice(0, 600)}`);
    this.name = 'FlowError';
    this.kind = `${page.status} ${new URL(page.url).pathname}`;
  }
}

/** Throws unless `page` is a 200 at a URL starting with `prefix`. */
export function expectPage(page: Page, prefix: string, what: string): Page {
  if (page.status !== 200 || !page.url.startsWith(prefix)) throw new FlowError(`expected ${what} (${prefix})`, page);
  return page;
}

/**
 * A path as a step name: per-request identifiers (oidc-provider's `/interaction/<uid>`) become `:id`, so that
 * every flow's request lands in the same step.
 */
export function stepPath(pathname: string): string {
  // 32+ characters, or 16+ with a digit: an identifier (base64url), not a word like `openid-configuration`.
  return pathname.replace(/\/(?:[A-Za-z0-9_-]{32,}|(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{16,})(?=\/|$)/g, '/:id');
}
