/**
 * Records every HTTP exchange openid-client makes with the provider while one of our requests is being handled,
 * so that the flow inspector can show the real wire traffic, including the token response whose ID token
 * failed validation (openid-client throws before handing it back).
 *
 * openid-client lets us supply its `fetch` (`customFetch`); an AsyncLocalStorage tells that fetch which of our
 * requests it is serving. Secrets and tokens are redacted before anything is kept; the raw token response is
 * held in memory for the duration of the request only (to decode the ID token), never persisted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CustomFetch } from 'openid-client';
import { redact } from '../../../src/shared/log.ts';
import { toResponse, type Transport } from '../oidc/transport.ts';

export interface RecordedExchange {
  /** Epoch milliseconds when the request was sent. */
  at: number;
  method: string;
  url: string;
  /** Request headers worth showing, with credentials redacted. */
  requestHeaders: Array<[string, string]>;
  /** Form fields of the request body, with secrets redacted. */
  requestBody?: Array<[string, string]>;
  status?: number;
  /** JSON body (tokens redacted), or the start of a non-JSON body. */
  responseBody?: unknown;
  /** Transport failure (connection refused, timeout). */
  error?: string;
  ms: number;
}

/** What one of our requests collected. `raw` is for in-process use only and must never be stored. */
export class Trace {
  readonly exchanges: RecordedExchange[] = [];
  /** Parsed JSON bodies of token endpoint responses, unredacted, newest last. */
  readonly rawTokenResponses: Array<Record<string, unknown>> = [];
  /** The last JWKS the provider served during this request (public keys only). */
  jwks: { keys: Array<Record<string, unknown>> } | undefined;
}

const storage = new AsyncLocalStorage<Trace>();

/** Runs `fn` with a fresh trace; everything openid-client fetches meanwhile is recorded in it. */
export async function traced<T>(fn: () => Promise<T>): Promise<{ trace: Trace; result?: T; error?: unknown }> {
  const trace = new Trace();
  try {
    const result = await storage.run(trace, fn);
    return { trace, result };
  } catch (error) {
    return { trace, error };
  }
}

const SECRET_FIELDS = new Set([
  'client_secret',
  'code',
  'code_verifier',
  'refresh_token',
  'token',
  'access_token',
  'id_token',
  'assertion',
  'client_assertion',
]);
const SHOWN_HEADERS = new Set(['authorization', 'content-type', 'accept', 'dpop']);

function redactHeader(name: string, value: string): string {
  if (name !== 'authorization') return value;
  const [scheme] = value.split(' ');
  if (scheme?.toLowerCase() === 'basic') return 'Basic [client_id:client_secret, form-url-encoded then base64, redacted]';
  return `${scheme} ${redact(value.slice((scheme?.length ?? 0) + 1))}`;
}

/** Replaces token and secret values in a JSON body with a short redacted hint. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) && typeof v === 'string' ? redact(v) : redactJson(v)]),
    );
  }
  return value;
}

function formFields(body: unknown): Array<[string, string]> | undefined {
  const params = body instanceof URLSearchParams ? body : typeof body === 'string' ? new URLSearchParams(body) : undefined;
  if (!params) return undefined;
  return [...params.entries()].map(([k, v]) => [k, SECRET_FIELDS.has(k) ? redact(v) : v]);
}

/**
 * The `fetch` handed to openid-client, over `transport` (oidc/transport.ts), which reads each body whole: the
 * trace keeps what it needs from that text and openid-client gets a fresh, unread Response of it, so nothing is
 * cloned. Outside a trace nothing is recorded.
 */
export function tracingFetch(transport: Transport): CustomFetch {
  return async (url, options) => {
    const trace = storage.getStore();
    if (!trace) return toResponse(await transport.send(url, options));
    const started = performance.now();
    const entry: RecordedExchange = {
      at: Date.now(),
      method: options.method,
      url,
      requestHeaders: Object.entries(options.headers)
        .filter(([k]) => SHOWN_HEADERS.has(k.toLowerCase()))
        .map(([k, v]) => [k, redactHeader(k.toLowerCase(), v)]),
      requestBody: formFields(options.body),
      ms: 0,
    };
    trace.exchanges.push(entry);
    try {
      const received = await transport.send(url, options);
      entry.status = received.status;
      const { text } = received;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        const body = json as Record<string, unknown>;
        if (options.body instanceof URLSearchParams && options.body.has('grant_type')) trace.rawTokenResponses.push(body);
        if (Array.isArray(body.keys)) trace.jwks = body as RecordedJwks;
        entry.responseBody = redactJson(body);
      } else {
        entry.responseBody = text.length > 500 ? `${text.slice(0, 500)}…` : text;
      }
      return toResponse(received);
    } catch (err) {
      entry.error = err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
      throw err;
    } finally {
      entry.ms = Math.round(performance.now() - started);
    }
  };
}

type RecordedJwks = { keys: Array<Record<string, unknown>> };
