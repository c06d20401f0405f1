/**
 * How the client-app's requests to providers (discovery, JWKS, token, UserInfo, revocation) go over the wire.
 * openid-client takes a `fetch` (its `customFetch`); inspector/trace.ts is that fetch, and hands each request
 * to a transport, which answers with the status, the headers and the body read in full, as text.
 *
 * The default is undici's `request` on an Agent of the app's own. Node 20's global `fetch` is undici as well,
 * but its WHATWG streams cost about 0.3 ms more CPU per call; openid-client only reads a response once, whole.
 * Where openid-client relies on fetch's behaviour, the transport keeps it: redirects are not followed
 * (openid-client asks for `redirect: 'manual'`), the caller's AbortSignal (its timeout) rejects with the
 * signal's reason, and a network failure is a `TypeError('fetch failed')` with the failure as its `cause`.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { CustomFetch } from 'openid-client';
import { Agent, type Dispatcher, request } from 'undici';

export interface TransportResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** The whole body. */
  text: string;
}

export type TransportOptions = Parameters<CustomFetch>[1];

export interface Transport {
  send(url: string, options: TransportOptions): Promise<TransportResponse>;
  close(): Promise<void>;
}

type RequestBody = string | Buffer | Readable | undefined;

function requestBody(body: TransportOptions['body']): RequestBody {
  if (body === null || body === undefined || typeof body === 'string') return body ?? undefined;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body);
  return Readable.fromWeb(body as WebReadableStream);
}

/** undici's `request`, with fetch's conventions where openid-client relies on them (see above). */
export function undiciTransport(): Transport {
  const agent = new Agent();
  return {
    async send(url, options) {
      const headers: Record<string, string> = { ...options.headers };
      // fetch's default for a URLSearchParams body, when the caller sets none.
      if (options.body instanceof URLSearchParams && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      }
      try {
        const res = await request(url, {
          dispatcher: agent,
          method: options.method as Dispatcher.HttpMethod,
          headers,
          body: requestBody(options.body),
          signal: options.signal,
        });
        const text = await res.body.text();
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          else if (value !== undefined) responseHeaders.append(name, value);
        }
        return { status: res.statusCode, statusText: '', headers: responseHeaders, text };
      } catch (err) {
        if (options.signal?.aborted) throw options.signal.reason;
        throw new TypeError('fetch failed', { cause: err });
      }
    },
    close: () => agent.close(),
  };
}

/** A transport over a `fetch` (tests pass one that watches or tampers with the traffic). */
export function fetchTransport(fetchFn: typeof fetch): Transport {
  return {
    async send(url, options) {
      const res = await fetchFn(url, options as RequestInit);
      return { status: res.status, statusText: res.statusText, headers: res.headers, text: await res.text() };
    },
    close: async () => {},
  };
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * A Response whose body is already in memory, read as fetch reads one: once (`bodyUsed`, then a TypeError),
 * `clone()` before reading. A standard Response over the text would wrap it in a WHATWG ReadableStream and
 * openid-client would read it back through that stream: ~0.1 ms of CPU per exchange in a running server (the
 * token request and UserInfo in every login). Whoever asks for `body` gets a standard Response's stream, and
 * from then on that Response answers every read, as it would have from the start.
 */
class BufferedResponse extends Response {
  /** Undefined once read, or once handed to `#standard`. */
  #text: string | undefined;
  #standard: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
  }

  #take(): string {
    const text = this.#text;
    if (text === undefined) throw new TypeError('Body is unusable: Body has already been read');
    this.#text = undefined;
    return text;
  }

  override get bodyUsed(): boolean {
    return this.#standard ? this.#standard.bodyUsed : this.#text === undefined;
  }

  override get body(): Response['body'] {
    if (!this.#standard && this.#text !== undefined) {
      this.#standard = new Response(this.#take(), { status: this.status, statusText: this.statusText, headers: this.headers });
    }
    return this.#standard?.body ?? null;
  }

  override async text(): Promise<string> {
    return this.#standard ? this.#standard.text() : this.#take();
  }

  override async json(): Promise<unknown> {
    return this.#standard ? this.#standard.json() : JSON.parse(this.#take());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#standard ? this.#standard.arrayBuffer() : (new TextEncoder().encode(this.#take()).buffer as ArrayBuffer);
  }

  override async blob(): Promise<Blob> {
    return this.#standard ? this.#standard.blob() : new Blob([this.#take()], { type: this.headers.get('content-type') ?? '' });
  }

  override clone(): Response {
    if (this.#standard) return this.#standard.clone();
    if (this.#text === undefined) throw new TypeError('Response.clone: Body has already been consumed.');
    return new BufferedResponse(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

/** The Response openid-client reads, unread, from what the transport received. */
export function toResponse({ status, statusText, headers, text }: TransportResponse): Response {
  const init = { status, statusText, headers };
  return NULL_BODY_STATUS.has(status) ? new Response(null, init) : new BufferedResponse(text, init);
}
