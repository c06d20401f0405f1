import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodedError } from './errors.ts';

export interface Listening {
  server: Server;
  /** Base URL without a trailing slash, e.g. `http://localhost:3000`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A listening port whose app is attached later (its configuration needs the port's URL). */
export interface BoundPort extends Listening {
  /** Serves every request from now on with `handler`; until then each one gets 503 with Retry-After. */
  attach(handler: RequestListener): void;
}

export class PortInUseError extends CodedError<'ERR_PORT_IN_USE'> {
  constructor(port: number, variable: string) {
    super('ERR_PORT_IN_USE', `Port ${port} is already in use. Stop the program that uses it, or set ${variable} to a free port.`);
  }
}

/** Seconds a client should wait before retrying a request that arrived while the app was still starting. */
export const STARTING_RETRY_AFTER_S = 1;

/**
 * Answers a request that arrives between the bind and the attach. Without it Node accepts the connection and
 * never answers (a server with no 'request' listener), and whatever waits for the stack hangs.
 */
const notReady: RequestListener = (_req, res) => {
  res.writeHead(503, {
    'Retry-After': String(STARTING_RETRY_AFTER_S),
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end('Starting: try again in a moment.\n');
};

/** The base URL of a server bound to `host`: a wildcard address is not a URL host, and an IPv6 literal needs brackets. */
export function baseUrl(host: string, port: number): string {
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${urlHost}:${port}`;
}

/**
 * Listens on `port` (0 = a free port, known at once and held) and answers 503 + Retry-After until `attach`.
 * `variable` names the environment variable that sets the port, for the "port in use" message.
 */
export async function bindPort(port: number, host = 'localhost', variable = 'PORT'): Promise<BoundPort> {
  const server = createServer(notReady);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : err));
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: baseUrl(host, actual),
    attach(handler) {
      server.removeListener('request', notReady);
      server.on('request', handler);
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((err) => (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING' ? fail(err) : done()));
        server.closeAllConnections();
      }),
  };
}

/** Listens on `port` (0 = a free port) with `app` attached; resolves once the server accepts connections. */
export async function listen(
  app: RequestListener,
  { port, host = 'localhost', variable = 'PORT' }: { port: number; host?: string; variable?: string },
): Promise<Listening> {
  const bound = await bindPort(port, host, variable);
  bound.attach(app);
  return bound;
}
