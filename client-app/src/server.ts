/**
 * Starts the client-app on a port (0 = any free one). The public URL — and so the redirect URI of the default
 * profiles — depends on the port, so the server listens first and the app is built once the port is known.
 * Used by main.ts, the demo launcher and the tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { PortInUseError } from '../../src/shared/http.ts';
import { createApp, type CreateAppOptions } from './app.ts';
import type { ClientAppConfig } from './config.ts';
import type { ClientProfile } from './profiles.ts';

export interface RunningClientApp {
  /** Base URL without a trailing slash. */
  url: string;
  port: number;
  app: Express;
  profiles: readonly ClientProfile[];
  close(): Promise<void>;
}

export async function startClientApp(config: ClientAppConfig, options: CreateAppOptions = {}): Promise<RunningClientApp> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(config.port, 'CLIENT_APP_PORT') : err));
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const publicUrl = config.publicUrl ?? `http://${host}:${port}`;
  let built: Awaited<ReturnType<typeof createApp>>;
  try {
    built = await createApp({ ...config, publicUrl }, options);
  } catch (err) {
    server.close();
    throw err;
  }
  server.on('request', built.app);
  return {
    url: publicUrl,
    port,
    app: built.app,
    profiles: built.profiles,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await built.close();
    },
  };
}
