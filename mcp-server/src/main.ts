/** Starts the mcp-server: read the configuration, build the app, listen. */
import { loadDotEnv } from '../../src/shared/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { listen } from '../../src/shared/http.ts';
import { createApp } from './app.ts';
import { loadConfig, type McpServerConfig } from './config.ts';

function configOrExit(): McpServerConfig {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

const config = configOrExit();
const { app, log, close } = await createApp(config);
const server = await listen(app, { port: config.port, host: config.host, variable: 'MCP_SERVER_PORT' });
log.info(
  { url: server.url, resource: config.resource, projectType: config.stytch.projectType, stytch: config.stytch.apiUrl, tokenValidation: config.tokenValidation },
  `mcp-server listening on ${server.url} (MCP endpoint: ${config.resource})`,
);

const shutdown = async () => {
  await server.close();
  await close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
