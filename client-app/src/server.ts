/**
 * Starts the client-app on a port (0 = any free one). The public URL — and so the redirect URI of the default
 * profiles — depends on the port, so the server listens first and the app is built once the port is known.
 * Used by main.ts, the demo launcher and the tests.
 */
import type { Express } from 'express';
import { bindPort } from '../../src/shared/http.ts';
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
  // Until the app is attached the port answers 503 with Retry-After, so nothing that waits for it hangs.
  const bound = await bindPort(config.port, config.host, 'CLIENT_APP_PORT');
  const publicUrl = config.publicUrl ?? bound.url;
  let built: Awaited<ReturnType<typeof createApp>>;
  try {
    built = await createApp({ ...config, publicUrl }, options);
  } catch (err) {
    await bound.close();
    throw err;
  }
  bound.attach(built.app);
  return {
    url: publicUrl,
    port: bound.port,
    app: built.app,
    profiles: built.profiles,
    close: async () => {
      await bound.close();
      await built.close();
    },
  };
}
