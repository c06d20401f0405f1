/**
 * The thin `main` of every app (auth-server, client-app, mcp-server), in one place: read the configuration
 * (`.env` too), start, and stop cleanly on SIGINT or SIGTERM. A ConfigError exits 2 with its message, which
 * names each variable to fix; any other coded error (a port in use…) exits 1 with its message; anything else
 * is a bug and is thrown.
 */
import { loadDotEnv } from './config.ts';
import { CodedError, ConfigError } from './errors.ts';

export interface Running {
  close(): Promise<void>;
}

export async function runMain<Config>(loadConfig: () => Config, start: (config: Config) => Promise<Running>): Promise<void> {
  let running: Running;
  try {
    loadDotEnv();
    running = await start(loadConfig());
  } catch (err) {
    if (!(err instanceof CodedError)) throw err;
    console.error(err.message);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
