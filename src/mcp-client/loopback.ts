/**
 * The loopback redirect URI of a native OAuth client (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 and a
 * port the OS picks, alive for one authorization at a time. It accepts the redirect only when `state`
 * matches the one the authorization request carried (RFC 6749 §10.12), answers the browser with a short
 * page, and hands the code (or the error) to whoever waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../shared/html.ts';

export interface AuthorizationResponse {
  code: string;
}

export class AuthorizationError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
  ) {
    super(`The authorization server answered ${error}${description ? `: ${description}` : ''}`);
  }
}

export interface LoopbackCallback {
  /** `http://127.0.0.1:<port>/callback` */
  readonly redirectUrl: string;
  /** Waits for the redirect that carries `state`; rejects on an OAuth error, a bad state, or after `timeoutMs`. */
  waitForCode(state: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;

export async function startLoopbackCallback(path = '/callback'): Promise<LoopbackCallback> {
  let waiting: { state: string; resolve: (code: string) => void; reject: (err: Error) => void } | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const q = url.searchParams;
    const answer = (status: number, title: string, text: string) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(title, text));
    if (!waiting || q.get('state') !== waiting.state) {
      // Not the authorization we started (or none is under way): never use the code.
      answer(400, 'Unexpected sign-in response', 'This response does not belong to a sign-in started by this client. Start again from the terminal.');
      return;
    }
    const current = waiting;
    waiting = undefined;
    const error = q.get('error');
    const code = q.get('code');
    if (error || !code) {
      answer(400, 'Sign-in failed', error ? `The authorization server answered ${error}.` : 'The response carries no code.');
      current.reject(new AuthorizationError(error ?? 'invalid_request', q.get('error_description') ?? (code ? undefined : 'no code in the response')));
      return;
    }
    answer(200, 'Signed in', 'You can close this tab and go back to the terminal.');
    current.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUrl: `http://127.0.0.1:${port}${path}`,
    waitForCode(state, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`No sign-in response within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        waiting = {
          state,
          resolve: (code) => {
            clearTimeout(timer);
            resolve(code);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
