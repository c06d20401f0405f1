/**
 * The provider alone: the local Stytch emulator and the auth-server (the project's Authorization URL), without
 * the sample client-app, for a team that points its own relying party at it (`npx connected-app provider`).
 * Assembled by the one stack module, with two of its parts.
 */
import type { ProjectType } from '../shared/project.ts';
import { startStack, type LogLevel } from '../stack.ts';
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
  const stack = await startStack({
    parts: ['emulator', 'auth-server'],
    projectType: options.projectType,
    ports: options.ports,
    ...(options.host ? { host: options.host } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    logLevel: options.logLevel ?? 'warn',
    portVariables: { emulator: '--emulator-port', authServer: '--auth-server-port' },
  });
  const emulator = stack.emulator!;
  return {
    project: { url: emulator.url, projectId: emulator.projectId, secret: emulator.secret, projectType: options.projectType },
    authorizationUrl: stack.urls.authorizationUrl,
    person: { email: stack.demo!.email, password: stack.demo!.password, organization: stack.demo!.organization },
    close: stack.close,
  };
}
