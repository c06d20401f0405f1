/**
 * Starts one emulated Stytch project (Consumer or B2B) on one listener, as a Stytch project domain is:
 * `startEmulator({ projectType, port, db, seed })` → `{ url, projectId, secret, close() }`.
 * The same call serves the CLI (`npx connected-app emulator`), the demo launcher and the tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../shared/log.ts';
import { DEFAULT_SEED_URLS, demoSeedPath, type ProjectType, type SeedUrls } from '../shared/demo.ts';
import { PortInUseError } from '../shared/http.ts';
import { createEmulatorApp } from './app.ts';
import { sha256Hex, secretMatches } from './basic-auth.ts';
import type { DomainMode, EmulatorContext, ProjectSettings, RateLimit } from './context.ts';
import { GUESS_DEFAULTS } from './guesses.ts';
import { Keyring } from './keys.ts';
import { applySeed, loadSeedFile, type SeedDocument } from './seed.ts';
import { Store } from './store.ts';

export type { EmulatorContext, ProjectType, SeedDocument };

export interface EmulatorOptions {
  projectType?: ProjectType;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** SQLite file, or `:memory:` (default). */
  db?: string;
  /** A seed file path or document; default: the demo seed of the project type; `false`: none. */
  seed?: string | SeedDocument | false;
  /** Base URLs of the apps, for the seed's `${AUTH_SERVER_URL}` / `${CLIENT_APP_URL}` placeholders. */
  seedUrls?: SeedUrls;
  /** Override the seed's project id and secret. */
  projectId?: string;
  secret?: string;
  logger?: Logger;
  /** Epoch-seconds clock, injectable for tests. */
  now?: () => number;
  /** Environment variable that sets the port, named in the "port in use" error. */
  portVariable?: string;
  /** The project's domain mode (context.ts `DomainMode`); overrides the seed's `project.domain`. Default: custom. */
  domain?: DomainMode;
  /** Failed password logins per account and window before 429 (default: 10 per 15 minutes). */
  passwordLoginLimit?: RateLimit;
  /** Failed token requests per client and IP and window before 429 (default: 30 per 5 minutes). */
  tokenEndpointLimit?: RateLimit;
}

export const DEFAULT_PASSWORD_LOGIN_LIMIT: RateLimit = { max: 10, windowSeconds: 15 * 60 };
export const DEFAULT_TOKEN_ENDPOINT_LIMIT: RateLimit = { max: 30, windowSeconds: 5 * 60 };

export interface RunningEmulator {
  url: string;
  port: number;
  projectId: string;
  secret: string;
  projectType: ProjectType;
  ctx: EmulatorContext;
  close(): Promise<void>;
}

const PURGE_INTERVAL_MS = 60_000;

/** Settings a database written before they existed gets, and a new project starts with. */
const SETTING_DEFAULTS: { domain: DomainMode } & typeof GUESS_DEFAULTS = { domain: 'custom', ...GUESS_DEFAULTS };

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seedUrls = options.seedUrls ?? DEFAULT_SEED_URLS;
  const seed: SeedDocument | undefined =
    options.seed === false
      ? undefined
      : typeof options.seed === 'object'
        ? options.seed
        : loadSeedFile(options.seed ?? demoSeedPath(options.projectType ?? 'consumer'), seedUrls);

  const projectType = options.projectType ?? seed?.project.project_type ?? 'consumer';
  if (seed && seed.project.project_type !== projectType) {
    throw new Error(`The seed is for a ${seed.project.project_type} project, but --project-type is ${projectType}.`);
  }
  const projectId = options.projectId ?? seed?.project.project_id;
  const secret = options.secret ?? seed?.project.secret;
  if (!projectId || !secret) throw new Error('A project id and secret are required (from the seed, or --project-id and --secret).');

  const log = options.logger ?? createLogger(`emulator:${projectType}`);
  const store = new Store(options.db ?? ':memory:', options.now);
  const settings = store.collection<ProjectSettings>('project');
  const existing = settings.get('settings');
  if (existing && (existing.project_id !== projectId || existing.project_type !== projectType)) {
    store.close();
    throw new Error(
      `The database ${options.db} belongs to ${existing.project_type} project ${existing.project_id}, not ${projectType} project ${projectId}. Use another --db file.`,
    );
  }
  if (!existing) {
    settings.put('settings', {
      project_id: projectId,
      project_type: projectType,
      authorization_url: null,
      dynamic_client_registration: false,
      ...SETTING_DEFAULTS,
    });
  }

  const idEnvironment = projectId.startsWith('project-live-') ? 'live' : 'test';
  const keys = await Keyring.open(store, { kidPrefix: `jwk-${idEnvironment}` });
  const secretHash = sha256Hex(secret);
  const ctx: EmulatorContext = {
    projectId,
    projectType,
    idEnvironment,
    store,
    keys,
    log,
    now: store.now,
    issuer: '',
    // A database written before a guess existed gets the guess's default.
    settings: () => ({ ...SETTING_DEFAULTS, ...settings.get('settings')! }),
    updateSettings: (change) => settings.update('settings', (s) => ({ ...s, ...change }))!,
    passwordLoginLimit: options.passwordLoginLimit ?? DEFAULT_PASSWORD_LOGIN_LIMIT,
    tokenEndpointLimit: options.tokenEndpointLimit ?? DEFAULT_TOKEN_ENDPOINT_LIMIT,
    checkSecret: (presented) => secretMatches(presented, secretHash),
  };
  // --project-id / --secret override the seed's: the seed then describes this project.
  if (seed) await applySeed(ctx, { ...seed, project: { ...seed.project, project_id: projectId, secret } });
  if (options.domain) ctx.updateSettings({ domain: options.domain });

  const app = await createEmulatorApp(ctx);
  const server = createServer(app);
  const host = options.host ?? 'localhost';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.port ?? 0, options.portVariable ?? 'STYTCH_EMULATOR_PORT') : err),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  // One issuer everywhere (STYTCH-API.md 1.9): the base URL, no trailing slash. A wildcard bind address is
  // not a URL host, and an IPv6 literal needs brackets.
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  ctx.issuer = `http://${urlHost}:${port}`;
  store.purgeExpired();
  const purge = setInterval(() => store.purgeExpired(), PURGE_INTERVAL_MS).unref();
  log.info({ url: ctx.issuer, projectId, projectType }, 'emulator ready');

  return {
    url: ctx.issuer,
    port,
    projectId,
    secret,
    projectType,
    ctx,
    close: async () => {
      clearInterval(purge);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
