/**
 * A Stytch project's settings, one schema for every part that reads them (the auth-server's config, `npm start`,
 * verify, the emulator's CLI, the e2e environment): the project type, its id (one pattern), its secret and its
 * domain, the base URL of its API (https://stytch.com/docs/api and "Custom domains" in the Dashboard).
 */
import { z } from 'zod';
import { envField, parseEnv, type Env } from './config.ts';
import { ConfigError } from './errors.ts';

/** A Stytch project's kind: Consumer (users) or B2B (organizations and members). */
export const PROJECT_TYPES = ['consumer', 'b2b'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

/** `project-test-<uuid>` or `project-live-<uuid>`, as the Dashboard shows it (Project settings → Project ID). */
export const PROJECT_ID_PATTERN = /^project-(test|live)-[A-Za-z0-9-]+$/;
export const PROJECT_ID_MESSAGE = 'must look like project-test-… or project-live-…';

/** The variables that name your own project: all of them, or none (the local emulator's demo project). */
export const PROJECT_VARIABLES = ['STYTCH_PROJECT_ID', 'STYTCH_SECRET', 'STYTCH_API_URL'] as const;

const WHERE: Record<(typeof PROJECT_VARIABLES)[number], string> = {
  STYTCH_PROJECT_ID: 'Dashboard → Project settings → Project ID',
  STYTCH_SECRET: 'Dashboard → API keys → Secret',
  STYTCH_API_URL:
    'the project domain, e.g. https://xxx-yyy-1234.customers.stytch.dev, from Dashboard → Project settings, so that the SDK, the tokens and the authorization responses share one issuer',
};

export const stytchProjectSchema = z.object({
  STYTCH_PROJECT_TYPE: z.enum(PROJECT_TYPES, { message: 'must be consumer or b2b' }).default('consumer'),
  STYTCH_PROJECT_ID: z.string().regex(PROJECT_ID_PATTERN, PROJECT_ID_MESSAGE).optional(),
  STYTCH_SECRET: z.string().optional(),
  STYTCH_API_URL: envField.url('https://xxx-yyy-1234.customers.stytch.dev').optional(),
});
export type StytchProjectVariables = z.output<typeof stytchProjectSchema>;

/**
 * All of id, secret and URL, or none: one problem per missing variable once the id or the secret is set.
 * STYTCH_API_URL alone is allowed: it names an emulator, whose demo project needs no credentials here.
 */
export function missingProjectVariables(vars: Partial<Record<(typeof PROJECT_VARIABLES)[number], string | undefined>>): string[] {
  if (!vars.STYTCH_PROJECT_ID && !vars.STYTCH_SECRET) return [];
  return PROJECT_VARIABLES.filter((name) => !vars[name]).map((name) => `${name}: required with your own project (${WHERE[name]})`);
}

/** Your own Stytch project, complete. */
export interface StytchProject {
  projectType: ProjectType;
  projectId: string;
  secret: string;
  /** The project domain, e.g. `https://xxx-yyy-1234.customers.stytch.dev`: the SDK's base URL and the issuer. */
  apiUrl: string;
}

/**
 * Your own project from the environment: undefined when neither STYTCH_PROJECT_ID nor STYTCH_SECRET is set; a
 * ConfigError naming every missing or malformed variable otherwise.
 */
export function parseStytchProject(env: Env, app = 'your Stytch project'): StytchProject | undefined {
  const present = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const missing = missingProjectVariables({
    STYTCH_PROJECT_ID: present('STYTCH_PROJECT_ID'),
    STYTCH_SECRET: present('STYTCH_SECRET'),
    STYTCH_API_URL: present('STYTCH_API_URL'),
  });
  let vars: StytchProjectVariables;
  try {
    vars = parseEnv(app, stytchProjectSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(app, [...missing, ...err.problems]);
    throw err;
  }
  if (missing.length) throw new ConfigError(app, missing);
  if (!vars.STYTCH_PROJECT_ID || !vars.STYTCH_SECRET || !vars.STYTCH_API_URL) return undefined;
  return { projectType: vars.STYTCH_PROJECT_TYPE, projectId: vars.STYTCH_PROJECT_ID, secret: vars.STYTCH_SECRET, apiUrl: vars.STYTCH_API_URL };
}
