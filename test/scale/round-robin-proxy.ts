/**
 * The smallest load balancer that proves the apps hold no state in process memory: it sends each request to
 * the next backend in turn (no stickiness), and says which one answered in an `X-Served-By` response header.
 * Loopback only; node:http; bodies streamed both ways.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVED_BY } from '../support/browser.ts';

export interface Backend {
  /** Shown in `X-Served-By`, e.g. `client-app#1`. */
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
}

export interface RoundRobinProxy {
  /** Base URL of the proxy: the one public URL of the app behind it. */
  url: string;
  port: number;
  /** Backends can be set or replaced after start: the proxy's URL must be known before the apps start. */
  setBackends(backends: Backend[]): void;
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function forwardable(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

export async function startRoundRobinProxy(initial: Backend[] = []): Promise<RoundRobinProxy> {
  let backends = initial;
  let next = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const backend = backends[next % Math.max(backends.length, 1)];
    next += 1;
    if (!backend) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no backend');
      return;
    }
    const target = new URL(req.url ?? '/', backend.url);
    // The Host header is kept: behind a real load balancer the app also sees its public host.
    const upstream = request(target, { method: req.method, headers: forwardable(req.headers) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...forwardable(answer.headers), [SERVED_BY]: backend.name });
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', [SERVED_BY]: backend.name });
      res.end(`bad gateway: ${err.message}`);
    });
    req.pipe(upstream);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackends(list) {
      backends = list;
      next = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
