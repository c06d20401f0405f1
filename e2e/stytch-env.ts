/** What `E2E_STYTCH=1` (the specs against your own Stytch project) needs from the environment or `.env`. */
import { PROJECT_VARIABLES, type ProjectType } from '../src/shared/project.ts';

export function againstStytch(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.E2E_STYTCH === '1' || env.E2E_STYTCH === 'true';
}

/** The variables still missing, by name; empty when everything is set. */
export function missingStytchVariables(projectType: ProjectType, env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = PROJECT_VARIABLES.filter((name) => !env[name]);
  if (!env.OIDC_CLIENT_ID && !env.CLIENT_APP_PROFILES) missing.push('OIDC_CLIENT_ID (or CLIENT_APP_PROFILES)');
  if (projectType === 'b2b' && !env.E2E_STYTCH_ORGANIZATION_ID) missing.push('E2E_STYTCH_ORGANIZATION_ID');
  return missing;
}

export function skipReason(missing: string[]): string {
  return `E2E_STYTCH=1 runs the specs against your own Stytch project, but these variables are not set: ${missing.join(', ')}. See README.md, "Use it with your own Stytch project".`;
}
