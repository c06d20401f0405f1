/**
 * What `conformance` is told, read once at the edge: flags, each with a `CONFORMANCE_*` variable of the same
 * meaning (a flag wins), validated with zod into a typed `ConformanceInput`. Defaults are the local demo: the
 * emulator's demo project, its Insight Analytics client and its demo person, so that pointing the command at
 * a relying party set up against `npm start` needs only the two `--rp-*` flags.
 *
 * Only `CONFORMANCE_*` variables are read (not the project's STYTCH_* or OIDC_*): a `.env` written for a real
 * Stytch project must not point a fault-injection run somewhere else.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { flagsToEnv, type FlagOption } from '../cli/flags.ts';
import { envField, parseEnv, type Env } from '../shared/config.ts';
import { DEFAULT_PORTS, demoLogin, loadDemoSeed } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { CodedError, ConfigError } from '../shared/errors.ts';
import { FAULT_NAMES, type FaultName } from '../emulator/index.ts';

/** Every input, once: flag, variable, help. The order is the order of `--help`. */
export const OPTIONS: readonly FlagOption[] = [
  {
    flag: 'rp-login-url',
    env: 'CONFORMANCE_RP_LOGIN_URL',
    help: 'required: the URL of your relying party that starts a login (it redirects to the authorization server)',
  },
  { flag: 'rp-success-text', env: 'CONFORMANCE_RP_SUCCESS_TEXT', help: 'required: text your relying party shows only once someone is signed in' },
  {
    flag: 'rp-refresh-text',
    env: 'CONFORMANCE_RP_REFRESH_TEXT',
    help: 'the label of the button or link that refreshes the tokens; without it the refresh scenarios are skipped',
  },
  { flag: 'project-type', env: 'CONFORMANCE_PROJECT_TYPE', help: 'consumer (default) or b2b: picks the demo defaults below' },
  {
    flag: 'emulator-url',
    env: 'CONFORMANCE_EMULATOR_URL',
    help: `the local Stytch emulator your relying party uses (default http://localhost:${DEFAULT_PORTS.emulator.consumer}, b2b ${DEFAULT_PORTS.emulator.b2b})`,
  },
  { flag: 'project-id', env: 'CONFORMANCE_PROJECT_ID', help: "the emulator project's id (default: the demo project's)" },
  { flag: 'secret', env: 'CONFORMANCE_SECRET', help: "the emulator project's secret, to switch faults on (default: the demo project's)" },
  { flag: 'client-id', env: 'CONFORMANCE_CLIENT_ID', help: 'the client id your relying party logs in with (default: the demo Insight Analytics client)' },
  { flag: 'email', env: 'CONFORMANCE_EMAIL', help: 'the person to log in as (default: the demo person)' },
  { flag: 'password', env: 'CONFORMANCE_PASSWORD', help: 'their password (default: the demo password)' },
  { flag: 'organization', env: 'CONFORMANCE_ORGANIZATION', help: "B2B: their organization's slug (default: the demo organization)" },
  {
    flag: 'scenarios',
    env: 'CONFORMANCE_SCENARIOS',
    help: 'comma-separated scenario names to run (default: all; see `npx connected-app emulator --list-scenarios`)',
  },
  {
    flag: 'token-delay',
    env: 'CONFORMANCE_TOKEN_DELAY_MS',
    help: "how long token-slow stalls, in ms; must exceed your relying party's HTTP timeout (default 35000)",
  },
  { flag: 'timeout', env: 'CONFORMANCE_TIMEOUT_MS', help: 'timeout of each browser step, in ms (default 15000)' },
  { flag: 'browser', env: 'CONFORMANCE_BROWSER', help: 'Chromium executable (default /usr/bin/chromium-headless-shell if installed, else /usr/bin/chromium)' },
  { flag: 'json', env: 'CONFORMANCE_JSON', help: 'print the report as JSON on stdout', boolean: true },
  { flag: 'junit', env: 'CONFORMANCE_JUNIT', help: 'also write a JUnit XML report to this file' },
  { flag: 'no-color', env: 'NO_COLOR', help: 'no colours, even on a terminal', boolean: true },
];

const schema = z.object({
  CONFORMANCE_RP_LOGIN_URL: envField.url('http://localhost:3001/login'),
  CONFORMANCE_RP_SUCCESS_TEXT: z.string({ message: 'required: text your relying party shows once someone is signed in, e.g. "Signed in as"' }),
  CONFORMANCE_RP_REFRESH_TEXT: z.string().optional(),
  CONFORMANCE_PROJECT_TYPE: z.enum(['consumer', 'b2b'], { message: 'must be consumer or b2b' }).default('consumer'),
  CONFORMANCE_EMULATOR_URL: envField.url(`http://localhost:${DEFAULT_PORTS.emulator.consumer}`).optional(),
  CONFORMANCE_PROJECT_ID: z.string().optional(),
  CONFORMANCE_SECRET: z.string().optional(),
  CONFORMANCE_CLIENT_ID: z.string().optional(),
  CONFORMANCE_EMAIL: z.string().optional(),
  CONFORMANCE_PASSWORD: z.string().optional(),
  CONFORMANCE_ORGANIZATION: z.string().optional(),
  CONFORMANCE_SCENARIOS: z.string().optional(),
  CONFORMANCE_TOKEN_DELAY_MS: z.coerce.number({ message: 'must be a number of milliseconds, e.g. 35000' }).int().min(100).max(600_000).default(35_000),
  CONFORMANCE_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds, e.g. 15000' }).int().min(500).max(120_000).default(15_000),
  CONFORMANCE_BROWSER: z.string().optional(),
  CONFORMANCE_JSON: envField.bool(false),
  CONFORMANCE_JUNIT: z.string().optional(),
  NO_COLOR: z.string().optional(),
});

export interface ConformanceInput {
  rp: { loginUrl: URL; successText: string; refreshText: string | undefined };
  /** The emulator (origin) and the project credentials that may switch its faults on. */
  emulator: { url: string; projectId: string; secret: string };
  clientId: string;
  person: { email: string; password: string; organization: string | undefined };
  /** In catalogue order. */
  scenarios: FaultName[];
  tokenDelayMs: number;
  timeoutMs: number;
  browserPath: string;
  output: { json: boolean; junit: string | undefined; color: boolean | undefined };
}

export class UsageError extends CodedError<'ERR_CONFORMANCE_USAGE'> {
  constructor(message: string) {
    super('ERR_CONFORMANCE_USAGE', message);
  }
}

function defaultBrowser(): string {
  return ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
}

/** `--scenarios a,b`: known names only, returned in catalogue order. */
function selectScenarios(list: string | undefined): FaultName[] {
  if (!list) return [...FAULT_NAMES];
  const asked = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((n) => !(FAULT_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new UsageError(`--scenarios: unknown scenario ${unknown.map((n) => `"${n}"`).join(', ')}. Known: ${FAULT_NAMES.join(', ')}.`);
  }
  return FAULT_NAMES.filter((n) => asked.includes(n));
}

export function parseInput(argv: readonly string[], env: Env = process.env): ConformanceInput {
  const flags = flagsToEnv(argv, OPTIONS, (message) => new UsageError(message));
  let v: z.output<typeof schema>;
  try {
    v = parseEnv('conformance', schema, { ...env, ...flags });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Name the flag next to the variable: the value may have come from either.
    const flagOf = (name: string) => OPTIONS.find((o) => o.env === name)?.flag;
    throw new UsageError(
      `conformance: invalid options\n${err.problems.map((p) => `  - ${p.replace(/^([A-Z_]+):/, (_m, name: string) => (flagOf(name) ? `--${flagOf(name)} (${name}):` : `${name}:`))}`).join('\n')}`,
    );
  }
  const projectType: ProjectType = v.CONFORMANCE_PROJECT_TYPE;
  const demo = loadDemoSeed(projectType);
  const login = demoLogin(demo);
  const demoClient = demo.clients.find((c) => c.client_type === 'third_party');
  const emulatorUrl = new URL(v.CONFORMANCE_EMULATOR_URL ?? `http://localhost:${DEFAULT_PORTS.emulator[projectType]}`).origin;
  return {
    rp: { loginUrl: new URL(v.CONFORMANCE_RP_LOGIN_URL), successText: v.CONFORMANCE_RP_SUCCESS_TEXT, refreshText: v.CONFORMANCE_RP_REFRESH_TEXT },
    emulator: { url: emulatorUrl, projectId: v.CONFORMANCE_PROJECT_ID ?? demo.project.project_id, secret: v.CONFORMANCE_SECRET ?? demo.project.secret },
    clientId: v.CONFORMANCE_CLIENT_ID ?? demoClient!.client_id,
    person: {
      email: v.CONFORMANCE_EMAIL ?? login.email,
      password: v.CONFORMANCE_PASSWORD ?? login.password,
      organization: v.CONFORMANCE_ORGANIZATION ?? login.organizationSlug,
    },
    scenarios: selectScenarios(v.CONFORMANCE_SCENARIOS),
    tokenDelayMs: v.CONFORMANCE_TOKEN_DELAY_MS,
    timeoutMs: v.CONFORMANCE_TIMEOUT_MS,
    browserPath: v.CONFORMANCE_BROWSER ?? defaultBrowser(),
    output: { json: v.CONFORMANCE_JSON, junit: v.CONFORMANCE_JUNIT, color: v.NO_COLOR ? false : undefined },
  };
}

export function helpText(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length + (o.boolean ? 0 : 6)));
  return [
    'Usage: npx connected-app conformance --rp-login-url <url> --rp-success-text <text> [options]',
    '',
    'Runs the hostile-provider catalogue (docs/faults.md) against your relying party: for each scenario it',
    'switches the fault on for your client in the local Stytch emulator, logs in through your app in headless',
    'Chromium, and checks whether your app signed the person in (the success text appears) against what a',
    'correct relying party must do. Your app must use the emulator as its issuer. The faults are switched on',
    'for your client only, and off again at the end. signing-key-rotation runs last, and first waits until a',
    'minute has passed since the JWKS was last fetched (relying parties refetch it at most once a minute).',
    '',
    'Options (each can also be set by the environment variable on the right; the flag wins):',
    ...OPTIONS.map((o) => `  ${(o.boolean ? `--${o.flag}` : `--${o.flag} <v>`).padEnd(width + 2)}  ${o.env.padEnd(28)} ${o.help}`),
    `  ${'--help'.padEnd(width + 2)}  ${''.padEnd(28)} show this text`,
    '',
    'Exit status: 0 when every row passes, 1 when a row fails, 2 when the run could not start (options, an',
    'unreachable emulator or relying party, no browser).',
    '',
    'Example, against the demo (`npm start`):',
    '  npx connected-app conformance --rp-login-url "http://localhost:3001/login?profile=insight-analytics" \\',
    '    --rp-success-text "signed in through" --rp-refresh-text "Refresh tokens"',
  ].join('\n');
}
