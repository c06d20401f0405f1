/**
 * Starts one emulated Stytch project (Consumer or B2B) on one listener, as a Stytch project domain is:
 * `startEmulator({ projectType, port, db, seed })` → `{ url, projectId, secret, close() }`.
 * The same call serves the CLI (`npx connected-app emulator`), the demo launcher and the tests.
 */
import { createLogger, type Logger } from '../shared/log.ts';
import { DEFAULT_SEED_URLS, demoSeedPath, type SeedUrls } from '../shared/demo.ts';
import type { ProjectType } from '../shared/project.ts';
import { bindPort } from '../shared/http.ts';
import { createEmulatorApp } from './app.ts';
import { sha256Hex, secretMatches } from './basic-auth.ts';
import { DEFAULT_CLIENT_METADATA_DOCUMENT_OPTIONS } from './clients/metadata-document.ts';
import type { DomainMode, EmulatorContext, ProjectSettings, RateLimit } from './context.ts';
import { GUESS_DEFAULTS } from './guesses.ts';
import { Keyring } from './keys.ts';
import { applySeed, loadSeedFile, type SeedDocument } from './seed.ts';
import { Store } from './store.ts';

export type { EmulatorContext, ProjectType, SeedDocument };
export { loadSeedFile };
export { FAULT_NAMES, SCENARIOS, scenarioByName, type FaultName, type FaultScenario } from './faults/index.ts';
export type { EvidenceEvent } from './faults/evidence.ts';
export { catalogue, type CatalogueEntry } from './faults/catalogue.ts';
export { SCRYPT_DEFAULTS } from './identity/passwords.ts';
/** The keys of Stytch's documented discovery document (the contract suite checks a real project has them). */
export { DOCUMENTED_DISCOVERY_FIELDS } from './routes/well-known.ts';

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
  /** Connected Apps per project before `too_many_connected_apps` (default 1000; UNCONFIRMED for Stytch). */
  connectedAppLimit?: number;
  /**
   * DANGEROUS, for local tests only: accept Client ID Metadata Documents served on a loopback host over plain
   * `http`, or over https with a certificate that does not verify (self-signed). Logs a warning. (Variable of the CLI: STYTCH_EMULATOR_ALLOW_INSECURE_CIMD=true.)
   */
  allowInsecureClientMetadataUrls?: boolean;
  /** Fetch limits for metadata documents (default 5 s, 5 KB). */
  clientMetadataDocumentLimits?: { timeoutMs?: number; maxBytes?: number };
}

export const DEFAULT_PASSWORD_LOGIN_LIMIT: RateLimit = { max: 10, windowSeconds: 15 * 60 };
export const DEFAULT_TOKEN_ENDPOINT_LIMIT: RateLimit = { max: 30, windowSeconds: 5 * 60 };
/** Stytch names the error (`too_many_connected_apps`) but documents no number: this one is a guess. */
export const DEFAULT_CONNECTED_APP_LIMIT = 1000;

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
const SETTING_DEFAULTS: Pick<ProjectSettings, 'domain' | 'client_id_metadata_documents'> & typeof GUESS_DEFAULTS = {
  domain: 'custom',
  client_id_metadata_documents: false,
  ...GUESS_DEFAULTS,
};

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
  const store = new Store(options.db ?? ':memory:', options.now, log);
  // Read several times per request; changed only by the seed, the CLI options and the admin API.
  const settings = store.collection<ProjectSettings>('project', { cacheById: true });
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
  let merged: { stored: ProjectSettings; value: ProjectSettings } | undefined;
  const ctx: EmulatorContext = {
    projectId,
    projectType,
    idEnvironment,
    store,
    keys,
    log,
    now: store.now,
    issuer: '',
    // A database written before a guess existed gets the guess's default. Merged again only when the stored
    // document changed (the store hands out the same frozen object until then): read ~8 times per flow.
    settings: () => {
      const stored = settings.get('settings')!;
      if (merged?.stored !== stored) merged = { stored, value: Object.freeze({ ...SETTING_DEFAULTS, ...stored }) };
      return merged.value;
    },
    updateSettings: (change) => settings.update('settings', (s) => ({ ...s, ...change }))!,
    passwordLoginLimit: options.passwordLoginLimit ?? DEFAULT_PASSWORD_LOGIN_LIMIT,
    tokenEndpointLimit: options.tokenEndpointLimit ?? DEFAULT_TOKEN_ENDPOINT_LIMIT,
    connectedAppLimit: options.connectedAppLimit ?? DEFAULT_CONNECTED_APP_LIMIT,
    clientMetadataDocuments: {
      allowInsecureUrls: options.allowInsecureClientMetadataUrls ?? false,
      timeoutMs: options.clientMetadataDocumentLimits?.timeoutMs ?? DEFAULT_CLIENT_METADATA_DOCUMENT_OPTIONS.timeoutMs,
      maxBytes: options.clientMetadataDocumentLimits?.maxBytes ?? DEFAULT_CLIENT_METADATA_DOCUMENT_OPTIONS.maxBytes,
    },
    checkSecret: (presented) => secretMatches(presented, secretHash),
  };
  if (ctx.clientMetadataDocuments.allowInsecureUrls) {
    log.warn(
      'allowInsecureClientMetadataUrls is on: Client ID Metadata Documents on loopback hosts are accepted over plain http and unverified https. Never use this outside local tests.',
    );
  }
  // --project-id / --secret override the seed's: the seed then describes this project.
  if (seed) await applySeed(ctx, { ...seed, project: { ...seed.project, project_id: projectId, secret } });
  if (options.domain) ctx.updateSettings({ domain: options.domain });

  const app = await createEmulatorApp(ctx);
  const bound = await bindPort(options.port ?? 0, options.host ?? 'localhost', options.portVariable ?? 'STYTCH_EMULATOR_PORT').catch((err: unknown) => {
    store.close();
    throw err;
  });
  bound.attach(app);
  const port = bound.port;
  // One issuer everywhere (ST-PROJECT-DOMAIN): the base URL, no trailing slash.
  ctx.issuer = bound.url;
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
      await bound.close().catch(() => undefined);
      store.close();
    },
  };
}
