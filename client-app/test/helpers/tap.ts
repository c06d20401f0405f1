/**
 * A fetch for the client-app's provider traffic that tests can watch and tamper with: it plays the part of a
 * misbehaving provider (or a network attacker) between the relying party and a real OP, so that each rejection
 * rule can be exercised against any provider. Nothing here is part of the app.
 */
export type JsonBody = Record<string, unknown>;

export interface Tap {
  fetch: typeof fetch;
  /** Every request the app made to providers, in order. */
  calls: Array<{ url: string; grantType?: string }>;
  /** Raw token endpoint responses (tokens included): the test's view of what the app received. */
  tokenResponses: JsonBody[];
  /** Changes a form body before it is sent. */
  rewriteRequest?: ((url: string, body: URLSearchParams) => void) | undefined;
  /** Changes a JSON response before the app sees it; return undefined to leave it alone. */
  rewriteResponse?: ((url: string, json: JsonBody, request: { grantType?: string }) => JsonBody | undefined | Promise<JsonBody | undefined>) | undefined;
  /** Answers instead of the provider; return undefined to let the request through. */
  respond?: ((url: string, init: RequestInit) => Promise<Response> | undefined) | undefined;
  reset(): void;
}

export function createTap(): Tap {
  const tap: Tap = {
    calls: [],
    tokenResponses: [],
    reset() {
      tap.calls.length = 0;
      tap.tokenResponses.length = 0;
      tap.rewriteRequest = undefined;
      tap.rewriteResponse = undefined;
      tap.respond = undefined;
    },
    fetch: async (input, init = {}) => {
      const url = String(input);
      let body = init.body;
      if (body instanceof URLSearchParams && tap.rewriteRequest) {
        body = new URLSearchParams(body);
        tap.rewriteRequest(url, body);
      }
      const grantType = body instanceof URLSearchParams ? (body.get('grant_type') ?? undefined) : undefined;
      tap.calls.push({ url, grantType });
      const replaced = tap.respond?.(url, init);
      if (replaced) return replaced;
      const res = await fetch(url, { ...init, body });
      if (!res.headers.get('content-type')?.includes('json')) return res;
      const json = (await res.clone().json()) as JsonBody;
      if (grantType && res.ok) tap.tokenResponses.push(json);
      const changed = tap.rewriteResponse ? await tap.rewriteResponse(url, json, { grantType }) : undefined;
      if (!changed) return res;
      return new Response(JSON.stringify(changed), { status: res.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
    },
  };
  return tap;
}

/** A response that never comes: it only ends when the caller's timeout aborts the request. */
export function hang(init: RequestInit): Promise<Response> {
  return new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });
}
