/** `npx tsx client-app/src/main.ts`: reads the environment (and .env), starts the app, stops on SIGINT/SIGTERM. */
import { runMain } from '../../src/shared/main.ts';
import { loadClientAppConfig } from './config.ts';
import { startClientApp } from './server.ts';

await runMain(loadClientAppConfig, async (config) => {
  const running = await startClientApp(config);
  console.log(`client-app listening on ${running.url}`);
  return running;
});
