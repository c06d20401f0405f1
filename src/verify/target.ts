/**
 * From inputs to a target: with a project named, the inputs as given (a missing client id or redirect_uri is a
 * usage error); with none, a local project started in-process with the demo seed (emulator + Authorization URL),
 * checked with the demo's confidential third-party client and demo user, which verify says out loud.
 */
import type { Target } from './context.ts';
import { UsageError, targetsEmulator, type VerifyInput } from './input.ts';
import { startLocalProject, type LocalProject } from './local.ts';

export interface ResolvedTarget {
  target: Target;
  /** A line for the report saying what was started, when verify started something. */
  note: string | undefined;
  /** Stops what verify started (nothing for a remote project). */
  close(): Promise<void>;
}

function common(input: VerifyInput) {
  return {
    projectType: input.projectType,
    scopes: input.scopes,
    authMethod: input.authMethod,
    expectedClientType: input.expectedClientType,
    expectRefresh: input.expectRefresh,
    expectDcr: input.expectDcr,
    login: input.login,
    browserPath: input.browserPath,
    timeoutMs: input.timeoutMs,
    artifactsDir: input.artifactsDir,
  };
}

export async function resolveTarget(input: VerifyInput, start: typeof startLocalProject = startLocalProject): Promise<ResolvedTarget> {
  if (!targetsEmulator(input)) {
    const missing = [...(input.clientId ? [] : ['OIDC_CLIENT_ID (--client-id)']), ...(input.redirectUri ? [] : ['OIDC_REDIRECT_URI (--redirect-uri)'])];
    if (missing.length) throw new UsageError(`verify: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required to check a project`);
    return {
      target: {
        ...common(input),
        mode: 'project',
        apiUrl: input.apiUrl,
        issuer: input.issuer,
        projectId: input.projectId,
        secret: input.secret,
        clientId: input.clientId!,
        clientSecret: input.clientSecret,
        redirectUri: input.redirectUri!,
        user: input.user,
      },
      note: undefined,
      close: async () => {},
    };
  }

  const local: LocalProject = await start(input.projectType);
  // The demo's confidential third-party client: the one with consent, a secret and refresh tokens to check.
  const demo = local.seed.clients.find((c) => c.client_type === 'third_party') ?? local.seed.clients[0]!;
  const chosen = input.clientId ? local.seed.clients.find((c) => c.client_id === input.clientId) : demo;
  const clientId = input.clientId ?? demo.client_id;
  const demoUser = local.demoUser;
  return {
    target: {
      ...common(input),
      mode: 'emulator',
      apiUrl: local.apiUrl,
      issuer: input.issuer,
      projectId: local.projectId,
      secret: local.secret,
      clientId,
      // A client id given on the command line keeps its own secret and redirect_uri (or none); the demo's are filled in otherwise.
      clientSecret: input.clientId ? input.clientSecret : (input.clientSecret ?? chosen?.client_secret),
      redirectUri: input.redirectUri ?? chosen?.redirect_urls[0] ?? `${local.clientAppUrl}/callback`,
      user: input.user ?? demoUser,
    },
    note: `No project given: started a local ${input.projectType} emulator at ${local.apiUrl} (demo seed) with its Authorization URL at ${local.authorizationUrl}; checking ${input.clientId ? 'client' : 'the demo client'} ${clientId}.`,
    close: () => local.close(),
  };
}
