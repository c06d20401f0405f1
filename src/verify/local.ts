/**
 * The local project verify checks when no project is given: the emulator with the demo seed, this toolkit's
 * auth-server as its Authorization URL, and its mcp-server as an MCP server of the project, all in-process on free
 * ports, with in-memory storage.
 *
 * Started by the one stack module (`src/stack.ts`), which wires the URLs both need of each other.
 */
import type { SeedDocument } from '../emulator/index.ts';
import type { DemoSeed, SeedUrls } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { startStack } from '../stack.ts';

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
  const stack = await startStack({
    parts: ['emulator', 'auth-server', 'mcp-server'],
    projectType,
    ports: { emulator: 0, authServer: 0, mcpServer: 0 },
    ...(options.seedUrls ? { urls: { clientApp: options.seedUrls.clientAppUrl } } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
    logLevel: 'silent',
  });
  const demo = stack.demo!;
  return {
    projectId: stack.project.projectId,
    secret: stack.project.secret,
    apiUrl: stack.urls.stytch,
    authorizationUrl: stack.urls.authorizationUrl,
    mcpServerUrl: stack.urls.mcpServer!,
    clientAppUrl: stack.urls.clientApp,
    seed: stack.seed!,
    demoUser: { email: demo.email, password: demo.password, organization: demo.organization },
    close: stack.close,
  };
}
