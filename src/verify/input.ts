/**
 * What `verify` is told, read once at the edge: command-line flags and environment variables with the same
 * meaning (a flag wins over its variable), validated with zod into a typed `VerifyInput`.
 *
 * The variable names are the ones the other parts already use (the auth-server's STYTCH_*, the client-app's
 * OIDC_*), so a team's existing `.env` works as is. Only the format of each value is checked here: a value that
 * is well-formed but wrong for the project (a public client with a secret, say) is what the checks report.
 */
import { z } from 'zod';
import { flagsToEnv as parseFlags, type FlagOption } from '../cli/flags.ts';
import { envField, parseEnv, type Env } from '../shared/config.ts';
import { CodedError } from '../shared/errors.ts';
import { stytchProjectSchema } from '../shared/project.ts';

export const CLIENT_TYPES = ['first_party', 'first_party_public', 'third_party', 'third_party_public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** The scope the client-app asks for by default; verify checks the same unless told otherwise. */
export const DEFAULT_SCOPES = 'openid email profile offline_access';

/** Every input, once: flag, variable, help. The order is the order of `--help`. */
export const OPTIONS: readonly FlagOption[] = [
  { flag: 'project-id', env: 'STYTCH_PROJECT_ID', help: 'Stytch project id, project-test-… or project-live-… (Dashboard › Project settings)' },
  { flag: 'secret', env: 'STYTCH_SECRET', help: "Stytch project secret (Dashboard › API keys); needed to read the client's registration" },
  { flag: 'api-url', env: 'STYTCH_API_URL', help: 'the project domain, e.g. https://xxx-yyy-1234.customers.stytch.dev (Dashboard › Project settings)' },
  { flag: 'project-type', env: 'STYTCH_PROJECT_TYPE', help: 'consumer (default) or b2b' },
  { flag: 'issuer', env: 'OIDC_ISSUER', help: 'the issuer your Connected App is configured with (default: the project domain)' },
  { flag: 'client-id', env: 'OIDC_CLIENT_ID', help: "the Connected App's client id, connected-app-test-…" },
  { flag: 'client-secret', env: 'OIDC_CLIENT_SECRET', help: 'its client secret (confidential clients only)' },
  { flag: 'redirect-uri', env: 'OIDC_REDIRECT_URI', help: 'the redirect_uri your app sends' },
  { flag: 'scopes', env: 'OIDC_SCOPES', help: `the scopes your app requests, space-separated (default "${DEFAULT_SCOPES}")` },
  {
    flag: 'auth-method',
    env: 'OIDC_TOKEN_ENDPOINT_AUTH_METHOD',
    help: 'how your app authenticates at the token endpoint: client_secret_basic, client_secret_post or none',
  },
  {
    flag: 'client-type',
    env: 'VERIFY_CLIENT_TYPE',
    help: 'the client type you meant to create: first_party, first_party_public, third_party, third_party_public',
  },
  { flag: 'expect-refresh', env: 'VERIFY_EXPECT_REFRESH', help: 'true if your app needs refresh tokens, false if it must not get them' },
  { flag: 'expect-dcr', env: 'VERIFY_EXPECT_DCR', help: 'true if dynamic client registration must be on (MCP clients), false if it must be off' },
  { flag: 'user-email', env: 'VERIFY_USER_EMAIL', help: "a test user's email, for the live login in a browser" },
  { flag: 'user-password', env: 'VERIFY_USER_PASSWORD', help: "that user's password" },
  { flag: 'organization', env: 'VERIFY_ORGANIZATION', help: "B2B projects: the test member's organization slug" },
  { flag: 'browser', env: 'VERIFY_BROWSER', help: 'Chromium executable for the live login (default /usr/bin/chromium)' },
  { flag: 'timeout', env: 'VERIFY_TIMEOUT_MS', help: 'timeout of each HTTP request and browser step, in ms (default 10000)' },
  { flag: 'artifacts', env: 'VERIFY_ARTIFACTS_DIR', help: 'where to save a screenshot when the live login fails (default: none)' },
  { flag: 'no-login', env: 'VERIFY_NO_LOGIN', help: 'skip the live login even when a test user is given', boolean: true },
  { flag: 'json', env: 'VERIFY_JSON', help: 'print the report as JSON on stdout', boolean: true },
  { flag: 'junit', env: 'VERIFY_JUNIT', help: 'also write a JUnit XML report to this file' },
  { flag: 'no-color', env: 'NO_COLOR', help: 'no colours, even on a terminal', boolean: true },
];

/** true / false / not said: an expectation that is absent is reported, not assumed. */
const expectation = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional();

const schema = z.object({
  // The project's variables as every part reads them; verify checks what it can with only some of them (no
  // secret: discovery only), so it does not ask for all or none.
  ...stytchProjectSchema.shape,
  // Any string: the issuer check explains what is wrong with it (a `stytch.com/project-…` value, say).
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URI: z.url({ message: 'must be an absolute URL, e.g. https://app.example.com/callback' }).optional(),
  OIDC_SCOPES: z.string().default(DEFAULT_SCOPES),
  OIDC_TOKEN_ENDPOINT_AUTH_METHOD: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
  VERIFY_CLIENT_TYPE: z.enum(CLIENT_TYPES, { message: `must be one of ${CLIENT_TYPES.join(', ')}` }).optional(),
  VERIFY_EXPECT_REFRESH: expectation(),
  VERIFY_EXPECT_DCR: expectation(),
  VERIFY_USER_EMAIL: z.string().optional(),
  VERIFY_USER_PASSWORD: z.string().optional(),
  VERIFY_ORGANIZATION: z.string().optional(),
  VERIFY_BROWSER: z.string().default('/usr/bin/chromium'),
  VERIFY_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds, e.g. 10000' }).int().min(500).max(120_000).default(10_000),
  VERIFY_ARTIFACTS_DIR: z.string().optional(),
  VERIFY_NO_LOGIN: envField.bool(false),
  VERIFY_JSON: envField.bool(false),
  VERIFY_JUNIT: z.string().optional(),
  // https://no-color.org: any non-empty value turns colour off.
  NO_COLOR: z.string().optional(),
});

/** Everything the checks and the reporters need to know, typed. */
export interface VerifyInput {
  projectId: string | undefined;
  secret: string | undefined;
  /** Project domain (origin, no trailing slash): where discovery and the backend API are called. */
  apiUrl: string | undefined;
  projectType: 'consumer' | 'b2b';
  /** The issuer as the Connected App has it configured, verbatim (the issuer check compares it). */
  issuer: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  scopes: string[];
  /** Explicitly configured; undefined means "not said" (openid-client then picks client_secret_post). */
  authMethod: AuthMethod | undefined;
  expectedClientType: ClientType | undefined;
  expectRefresh: boolean | undefined;
  expectDcr: boolean | undefined;
  user: { email: string; password: string; organization: string | undefined } | undefined;
  login: boolean;
  browserPath: string;
  timeoutMs: number;
  artifactsDir: string | undefined;
  output: { json: boolean; junit: string | undefined; color: boolean | undefined };
}

export class UsageError extends CodedError<'ERR_VERIFY_USAGE'> {
  constructor(message: string) {
    super('ERR_VERIFY_USAGE', message);
  }
}

/** Turns argv into the variables of OPTIONS (flags win over the environment). */
export function flagsToEnv(argv: readonly string[]): Env {
  return parseFlags(argv, OPTIONS, (message) => new UsageError(message));
}

/** Origin without trailing slash; the API URL is an origin (the SDK drops any path, ST-PROJECT-DOMAIN). */
function origin(url: string): string {
  return new URL(url).origin;
}

export function parseInput(argv: readonly string[], env: Env = process.env): VerifyInput {
  const flags = flagsToEnv(argv);
  const v = parseEnv('verify', schema, { ...env, ...flags });
  const problems: string[] = [];
  if (v.STYTCH_API_URL && new URL(v.STYTCH_API_URL).pathname !== '/') {
    problems.push(`STYTCH_API_URL (--api-url): must be the project domain without a path, e.g. ${origin(v.STYTCH_API_URL)} (got "${v.STYTCH_API_URL}")`);
  }
  if (Boolean(v.VERIFY_USER_EMAIL) !== Boolean(v.VERIFY_USER_PASSWORD)) {
    problems.push('VERIFY_USER_EMAIL and VERIFY_USER_PASSWORD (--user-email, --user-password): set both for the live login, or neither');
  }
  if (problems.length) throw new UsageError(`verify: invalid options\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  return {
    projectId: v.STYTCH_PROJECT_ID,
    secret: v.STYTCH_SECRET,
    apiUrl: v.STYTCH_API_URL ? origin(v.STYTCH_API_URL) : undefined,
    projectType: v.STYTCH_PROJECT_TYPE,
    issuer: v.OIDC_ISSUER,
    clientId: v.OIDC_CLIENT_ID,
    clientSecret: v.OIDC_CLIENT_SECRET,
    redirectUri: v.OIDC_REDIRECT_URI,
    scopes: v.OIDC_SCOPES.split(/\s+/).filter(Boolean),
    authMethod: v.OIDC_TOKEN_ENDPOINT_AUTH_METHOD,
    expectedClientType: v.VERIFY_CLIENT_TYPE,
    expectRefresh: v.VERIFY_EXPECT_REFRESH,
    expectDcr: v.VERIFY_EXPECT_DCR,
    user:
      v.VERIFY_USER_EMAIL && v.VERIFY_USER_PASSWORD
        ? { email: v.VERIFY_USER_EMAIL, password: v.VERIFY_USER_PASSWORD, organization: v.VERIFY_ORGANIZATION }
        : undefined,
    login: !v.VERIFY_NO_LOGIN,
    browserPath: v.VERIFY_BROWSER,
    timeoutMs: v.VERIFY_TIMEOUT_MS,
    artifactsDir: v.VERIFY_ARTIFACTS_DIR,
    output: { json: v.VERIFY_JSON, junit: v.VERIFY_JUNIT, color: v.NO_COLOR ? false : undefined },
  };
}

/** True when no project is named: verify then starts the local emulator with the demo seed. */
export function targetsEmulator(input: VerifyInput): boolean {
  return !input.projectId && !input.apiUrl && !input.issuer;
}

export function helpText(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length + (o.boolean ? 0 : 6)));
  return [
    'Usage: npx connected-app verify [options]',
    '',
    "Checks a Connected App's configuration against a Stytch project and says how to fix each problem.",
    'With no project options, it checks the demo client against a local emulator it starts itself.',
    'Each option can also be given as the environment variable on its right (the option wins).',
    '',
    'Options:',
    ...OPTIONS.map((o) => `  --${(o.boolean ? o.flag : `${o.flag} VALUE`).padEnd(width)}  ${o.env.padEnd(31)} ${o.help}`),
    '  --help',
    '',
    'Exit code: 0 when every required check passes, 1 when one fails, 2 for invalid options.',
  ].join('\n');
}
