/**
 * The Stytch project a server talks to, from the same variables in every app (auth-server, mcp-server):
 * STYTCH_PROJECT_TYPE, STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_API_URL, plus the loud opt-in for plain http.
 *
 * Either the three project variables name a real project, or none is set and the local emulator's demo
 * project is used (Consumer on :9010, B2B on :9011). The variables' schema (one id pattern, all or none) is
 * src/shared/project.ts; this module adds what an app needs to run: the demo fallback, the issuer, the http opt-in.
 */
import { envField, isLoopbackUrl } from './config.ts';
import { DEFAULT_PORTS, loadDemoSeed } from './demo.ts';
import { missingProjectVariables, stytchProjectSchema, type ProjectType } from './project.ts';

export interface StytchProjectConfig {
  projectType: ProjectType;
  projectId: string;
  secret: string;
  /** Base URL the SDK talks to, normalised (origin only, trailing slash). */
  apiUrl: string;
  /**
   * The issuer of the project's tokens and authorization responses (RFC 9207 `iss`). Stytch takes it from
   * the host the API is called on (https://stytch.com/docs/connected-apps/resources/custom-domains), so it is
   * the API URL without a trailing slash.
   */
  issuer: string;
  /** True when this is the demo project of the local emulator. */
  isDemo: boolean;
}

export const DEMO_API_URL: Record<ProjectType, string> = {
  consumer: `http://localhost:${DEFAULT_PORTS.emulator.consumer}`,
  b2b: `http://localhost:${DEFAULT_PORTS.emulator.b2b}`,
};

/** The variables, to spread into an app's own zod schema. */
export const stytchProjectFields = {
  ...stytchProjectSchema.shape,
  DANGEROUSLY_ALLOW_HTTP_STYTCH_API: envField.bool(false),
};

type Vars = {
  STYTCH_PROJECT_TYPE: ProjectType;
  STYTCH_PROJECT_ID?: string | undefined;
  STYTCH_SECRET?: string | undefined;
  STYTCH_API_URL?: string | undefined;
  DANGEROUSLY_ALLOW_HTTP_STYTCH_API: boolean;
};

/** The project, or the problems to report (each naming its variable); `problems` is appended to. */
export function resolveStytchProject(vars: Vars, problems: string[]): StytchProjectConfig {
  const projectType = vars.STYTCH_PROJECT_TYPE;
  let projectId: string;
  let secret: string;
  let apiUrl: string;
  let isDemo = false;
  if (vars.STYTCH_PROJECT_ID || vars.STYTCH_SECRET) {
    problems.push(...missingProjectVariables(vars));
    projectId = vars.STYTCH_PROJECT_ID ?? '';
    secret = vars.STYTCH_SECRET ?? '';
    apiUrl = vars.STYTCH_API_URL ?? '';
  } else {
    const seed = loadDemoSeed(projectType);
    projectId = seed.project.project_id;
    secret = seed.project.secret;
    apiUrl = vars.STYTCH_API_URL ?? DEMO_API_URL[projectType];
    isDemo = true;
  }

  let normalisedApiUrl = '';
  let issuer = '';
  if (apiUrl) {
    const url = new URL(apiUrl);
    if (url.pathname !== '/' || url.search || url.hash) {
      // The SDK resolves absolute paths (`/v1/...`) against the base URL, so a path prefix would be dropped silently.
      problems.push(`STYTCH_API_URL: must be an origin without a path, e.g. ${url.origin} (got "${apiUrl}")`);
    }
    if (url.username || url.password) problems.push('STYTCH_API_URL: must not contain credentials');
    if (url.protocol === 'http:' && !isLoopbackUrl(url) && !vars.DANGEROUSLY_ALLOW_HTTP_STYTCH_API) {
      problems.push(
        `STYTCH_API_URL: plain http is only allowed on localhost (got "${apiUrl}"). Use https, ` +
          'or set DANGEROUSLY_ALLOW_HTTP_STYTCH_API=true for a test network where the project secret may travel unencrypted',
      );
    }
    normalisedApiUrl = `${url.origin}/`;
    issuer = url.origin;
  }
  return { projectType, projectId, secret, apiUrl: normalisedApiUrl, issuer, isDemo };
}

/** True when the http API URL is allowed only because of the dangerous opt-in (the app logs a warning). */
export function usesInsecureStytchApi(project: Pick<StytchProjectConfig, 'apiUrl'>): boolean {
  return project.apiUrl.startsWith('http:') && !isLoopbackUrl(project.apiUrl);
}

/**
 * The SDK's base URL option. https (Stytch's project domain): `custom_base_url`, so that every call and every
 * token share the project-domain issuer. http (the local emulator): only `env` accepts it.
 */
export function sdkBaseUrl(apiUrl: string): { custom_base_url: string } | { env: string } {
  return apiUrl.startsWith('https://') ? { custom_base_url: apiUrl } : { env: apiUrl };
}
