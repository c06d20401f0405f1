/** `npx tsx client-app/src/main.ts`: reads the environment (and .env), starts the app, stops on SIGINT/SIGTERM. */
import { loadDotEnv } from '../../src/shared/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { loadClientAppConfig } from './config.ts';
import { startClientApp } from './server.ts';

loadDotEnv();
try {
  const running = await startClientApp(loadClientAppConfig());
  console.log(`client-app listening on ${running.url}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError || (err instanceof Error && 'code' in err) ? err.message : err);
  process.exit(1);
}
