/**
 * The provider alone: the local Stytch emulator and the auth-server (the project's Authorization URL), without
 * the sample client-app, for a team that points its own relying party at it (`npx connected-app provider`).
 * The auth-server's port is bound first, so that the emulator's seed can name it as the Authorization URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp as createAuthServer } from '../../auth-server/src/app.ts';
import { loadConfig as loadAuthServerConfig } from '../../auth-server/src/config.ts';
import { startEmulator } from '../emulator/index.ts';
import { DEFAULT_SEED_URLS, demoLogin, loadDemoSeed, type ProjectType } from '../shared/demo.ts';
import { PortInUseError } from '../shared/http.ts';
import { createLogger } from '../shared/log.ts';
import type { LogLevel } from '../stack.ts';
import type { ProviderProject } from './clients.ts';

export interface ProviderOptions {
  projectType: ProjectType;
  ports: { emulator: number; authServer: number };
  host?: string;
  /** Where the emulator keeps its project (your registered clients) and the auth-server its sessions; unset: memory. */
  dataDir?: string;
  logLevel?: LogLevel;
}

export interface RunningProvider {
  project: ProviderProject;
  authorizationUrl: string;
  /** The demo person to log in as. */
  person: { email: string; password: string; organization: string | undefined };
  close(): Promise<void>;
}

export async function startProvider(options: ProviderOptions): Promise<RunningProvider> {
  const host = options.host ?? 'localhost';
  const logLevel = options.logLevel ?? 'warn';
  const file = (name: string) => (options.dataDir ? join(options.dataDir, name) : ':memory:');
  const authSocket = createServer();
  await new Promise<void>((resolve, reject) => {
    authSocket.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.ports.authServer, '--auth-server-port') : err));
    authSocket.listen(options.ports.authServer, host, () => resolve());
  });
  const closeSocket = () =>
    new Promise<void>((resolve) => {
      authSocket.close(() => resolve());
      authSocket.closeAllConnections();
    });
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const authServerUrl = `http://${urlHost}:${(authSocket.address() as AddressInfo).port}`;
  // The demo clients keep their redirect URLs on the client-app's usual address; yours come from `clients create`.
  const seedUrls = { authServerUrl, clientAppUrl: DEFAULT_SEED_URLS.clientAppUrl };
  try {
    const emulator = await startEmulator({
      projectType: options.projectType,
      port: options.ports.emulator,
      host,
      db: file(`emulator-${options.projectType}.db`),
      seedUrls,
      logger: createLogger(`emulator:${options.projectType}`, logLevel),
      portVariable: '--emulator-port',
    });
    try {
      const authServer = await createAuthServer(
        loadAuthServerConfig({
          AUTH_SERVER_PORT: String((authSocket.address() as AddressInfo).port),
          AUTH_SERVER_HOST: host,
          AUTH_SERVER_PUBLIC_URL: authServerUrl,
          AUTH_SERVER_SESSION_DB: file('auth-server-sessions.db'),
          LOG_LEVEL: logLevel,
          STYTCH_PROJECT_TYPE: options.projectType,
          STYTCH_API_URL: emulator.url,
        }),
        { log: createLogger('auth-server', logLevel) },
      );
      authSocket.on('request', authServer.app);
      const login = demoLogin(loadDemoSeed(options.projectType, seedUrls));
      return {
        project: { url: emulator.url, projectId: emulator.projectId, secret: emulator.secret, projectType: options.projectType },
        authorizationUrl: `${authServerUrl}/oauth/authorize`,
        person: { email: login.email, password: login.password, organization: login.organizationSlug },
        close: async () => {
          await closeSocket();
          await authServer.close();
          await emulator.close();
        },
      };
    } catch (err) {
      await emulator.close();
      throw err;
    }
  } catch (err) {
    await closeSocket();
    throw err;
  }
}
