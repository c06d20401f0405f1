import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { CodedError } from './errors.ts';

export interface Listening {
  server: Server;
  /** Base URL without a trailing slash, e.g. `http://localhost:3000`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export class PortInUseError extends CodedError<'ERR_PORT_IN_USE'> {
  constructor(port: number, variable: string) {
    super('ERR_PORT_IN_USE', `Port ${port} is already in use. Stop the program that uses it, or set ${variable} to a free port.`);
  }
}

/**
 * Listens on `port` (0 = a free port) and resolves with the base URL once the server accepts connections.
 * `variable` names the environment variable that sets the port, for the "port in use" message.
 */
export function listen(app: Express, { port, host = 'localhost', variable = 'PORT' }: { port: number; host?: string; variable?: string }): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : err);
    });
    server.once('listening', () => {
      const actual = (server.address() as AddressInfo).port;
      const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        port: actual,
        url: `http://${urlHost}:${actual}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
