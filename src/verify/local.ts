/**
 * The local project verify checks when no project is given: the emulator with the demo seed, this toolkit's
 * auth-server as its Authorization URL, and its mcp-server as an MCP server of the project, all in-process on free
 * ports, with in-memory storage.
 *
 * Both need each other's URL (the seed names the Authorization URL; the auth-server names the emulator), so the
 * emulator starts first and learns the auth-server's URL once that one listens.
 */
import { randomBytes } from 'node:crypto';
import express from 'express';
import { createApp } from '../../auth-server/src/app.ts';
import { loadConfig } from '../../auth-server/src/config.ts';
import { createApp as createMcpServer, loadConfig as loadMcpServerConfig } from '../../mcp-server/src/index.ts';
import { DEFAULT_SEED_URLS, demoLogin, loadDemoSeed, type DemoSeed, type ProjectType, type SeedUrls } from '../shared/demo.ts';
import { listen } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import { startEmulator, type SeedDocument } from '../emulator/index.ts';

export interface LocalProject {
  projectId: string;
  secret: string;
  /** The emulator's base URL: project domain and issuer. */
  apiUrl: string;
  authorizationUrl: string;
  /** The MCP endpoint of the local mcp-server. */
  mcpServerUrl: string;
  /** The seed's redirect URLs point here; nothing needs to listen (verify intercepts the redirect). */
  clientAppUrl: string;
  seed: DemoSeed;
  demoUser: { email: string; password: string; organization: string | undefined };
  close(): Promise<void>;
}

export interface LocalProjectOptions {
  /** A seed document in place of the demo seed (tests add misconfigured clients this way). */
  seed?: SeedDocument;
  /** Placeholders of the seed; the Authorization URL is set to the auth-server started here in any case. */
  seedUrls?: SeedUrls;
}

export async function startLocalProject(projectType: ProjectType, options: LocalProjectOptions = {}): Promise<LocalProject> {
  const seedUrls = options.seedUrls ?? DEFAULT_SEED_URLS;
  const logger = createLogger(`verify:emulator:${projectType}`, 'silent');
  const emulator = await startEmulator({ projectType, db: ':memory:', port: 0, seedUrls, logger, ...(options.seed ? { seed: options.seed } : {}) });
  let authServer: Awaited<ReturnType<typeof createApp>> | undefined;
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  let mcpServer: Awaited<ReturnType<typeof createMcpServer>> | undefined;
  let mcpListening: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    const config = loadConfig({
      AUTH_SERVER_PORT: '0',
      AUTH_SERVER_SESSION_DB: ':memory:',
      AUTH_SERVER_SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'silent',
      STYTCH_PROJECT_TYPE: projectType,
      STYTCH_PROJECT_ID: emulator.projectId,
      STYTCH_SECRET: emulator.secret,
      STYTCH_API_URL: emulator.url,
    });
    authServer = await createApp(config);
    listening = await listen(authServer.app, { port: 0, variable: 'AUTH_SERVER_PORT' });
    const authorizationUrl = `${listening.url}/oauth/authorize`;
    // Same effect as the seed's `${AUTH_SERVER_URL}`, known only now.
    emulator.ctx.updateSettings({ authorization_url: authorizationUrl });
    const seed = (options.seed as DemoSeed | undefined) ?? loadDemoSeed(projectType, { ...seedUrls, authServerUrl: listening.url });
    const login = demoLogin(seed);
    // The resource identifier must be the URL clients reach, known once the port is: listen first, then build.
    mcpListening = await listen(express(), { port: 0, variable: 'MCP_SERVER_PORT' });
    mcpServer = await createMcpServer(
      loadMcpServerConfig({
        MCP_SERVER_PUBLIC_URL: mcpListening.url,
        LOG_LEVEL: 'silent',
        STYTCH_PROJECT_TYPE: projectType,
        STYTCH_PROJECT_ID: emulator.projectId,
        STYTCH_SECRET: emulator.secret,
        STYTCH_API_URL: emulator.url,
      }),
    );
    mcpListening.server.removeAllListeners('request');
    mcpListening.server.on('request', mcpServer.app);
    const server = listening;
    const app = authServer;
    const mcp = { server: mcpListening, app: mcpServer };
    return {
      projectId: emulator.projectId,
      secret: emulator.secret,
      apiUrl: emulator.url,
      authorizationUrl,
      mcpServerUrl: `${mcpListening.url}/mcp`,
      clientAppUrl: seedUrls.clientAppUrl,
      seed,
      demoUser: { email: login.email, password: login.password, organization: login.organizationSlug },
      close: async () => {
        await mcp.server.close();
        await mcp.app.close();
        await server.close();
        await app.close();
        await emulator.close();
      },
    };
  } catch (err) {
    await mcpListening?.close().catch(() => undefined);
    await mcpServer?.close().catch(() => undefined);
    await listening?.close().catch(() => undefined);
    await authServer?.close().catch(() => undefined);
    await emulator.close();
    throw err;
  }
}
