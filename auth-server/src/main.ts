/** Starts the auth-server: read the configuration, build the app, listen. */
import { listen } from '../../src/shared/http.ts';
import { runMain } from '../../src/shared/main.ts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

await runMain(loadConfig, async (config) => {
  const { app, log, close } = await createApp(config);
  const server = await listen(app, { port: config.port, host: config.host, variable: 'AUTH_SERVER_PORT' });
  log.info(
    { url: server.url, projectType: config.stytch.projectType, stytch: config.stytch.apiUrl, demo: config.stytch.isDemo },
    `auth-server listening on ${server.url} (Authorization URL: ${server.url}/oauth/authorize)`,
  );
  return {
    close: async () => {
      await server.close();
      await close();
    },
  };
});
