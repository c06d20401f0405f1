/**
 * Connected App clients: what is stored, what goes on the wire, and the two ways a client comes to exist
 * besides the API (the seed and Dynamic Client Registration).
 *
 * Collection `clients`: id = client_id. Secrets are stored only as SHA-256 hashes (they are 32+ random bytes,
 * so a fast hash is enough) plus their last four characters, which the API shows back.
 */
import type { ConnectedApp, ConnectedAppPublic } from 'stytch';
import { z } from 'zod';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';
import { FAULT_NAMES, setClientFaults, type FaultName } from '../faults/index.ts';
import { hashedSecret, type HashedSecret } from './secrets.ts';

export const CLIENT_TYPES = ['first_party', 'first_party_public', 'third_party', 'third_party_public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** How the client came to exist. UNCONFIRMED: Stytch's `creation_method` values are not documented. */
export type CreationMethod = 'api' | 'seed' | 'dynamic_client_registration' | 'client_id_metadata_document';

/** The Connected App object of the API (the SDK type minus the class members merged into it). */
export type ConnectedAppWire = Pick<
  ConnectedApp,
  | 'client_id'
  | 'client_name'
  | 'client_description'
  | 'status'
  | 'full_access_allowed'
  | 'client_type'
  | 'redirect_urls'
  | 'access_token_expiry_minutes'
  | 'access_token_template_content'
  | 'post_logout_redirect_urls'
  | 'bypass_consent_for_offline_access'
  | 'creation_method'
  | 'id_token_template_content'
  | 'client_secret_last_four'
  | 'next_client_secret_last_four'
  | 'access_token_custom_audience'
  | 'logo_url'
  | 'client_id_metadata_url'
>;

export interface ClientRecord {
  client_id: string;
  client_type: ClientType;
  client_name: string;
  client_description: string;
  status: 'active';
  redirect_urls: string[];
  post_logout_redirect_urls: string[];
  full_access_allowed: boolean;
  bypass_consent_for_offline_access: boolean;
  access_token_expiry_minutes: number;
  access_token_custom_audience?: string;
  access_token_template_content: string;
  id_token_template_content: string;
  logo_url?: string;
  creation_method: CreationMethod;
  /** Confidential clients only. */
  secret?: HashedSecret;
  /** During a rotation (rotateStart … rotate/rotateCancel): the next secret, valid alongside the current one. */
  next_secret?: HashedSecret;
  /** DCR public clients: identical metadata gets the same client back (ST-DCR). */
  registration_fingerprint?: string;
  /** CIMD clients (client_id = the document's URL): when it was fetched, and until when that answer is fresh. */
  metadata_document?: { url: string; fetched_at: number; expires_at: number };
  created_at: number;
}

export const DEFAULT_ACCESS_TOKEN_EXPIRY_MINUTES = 60;

export function clientsCollection(ctx: Pick<EmulatorContext, 'store'>) {
  // Read by every OAuth request; written only by the Connected Apps API, DCR and the seed.
  return ctx.store.collection<ClientRecord>('clients', { cacheById: true });
}

export function isPublicClient(client: Pick<ClientRecord, 'client_type'>): boolean {
  return client.client_type === 'first_party_public' || client.client_type === 'third_party_public';
}

export function isFirstParty(client: Pick<ClientRecord, 'client_type'>): boolean {
  return client.client_type === 'first_party' || client.client_type === 'first_party_public';
}

export function findClient(ctx: Pick<EmulatorContext, 'store'>, clientId: unknown): ClientRecord | undefined {
  return typeof clientId === 'string' && clientId ? clientsCollection(ctx).get(clientId) : undefined;
}

/**
 * Whether the project already holds as many Connected Apps as it may (`ctx.connectedAppLimit`); creating one
 * more is refused with Stytch's `too_many_connected_apps` (in the API's or the OAuth error shape).
 */
export function connectedAppLimitReached(ctx: Pick<EmulatorContext, 'store' | 'connectedAppLimit'>): boolean {
  return clientsCollection(ctx).all().length >= ctx.connectedAppLimit;
}

/** The client, or Stytch's 404 `connected_app_not_found` [DOC api/errors/404]. */
export function requireClient(ctx: Pick<EmulatorContext, 'store'>, clientId: unknown): ClientRecord {
  const client = findClient(ctx, clientId);
  if (!client) throw new StytchApiError('connected_app_not_found', 'The Connected App requested could not be found.');
  return client;
}

export function toWire(client: ClientRecord): ConnectedAppWire {
  return {
    client_id: client.client_id,
    client_name: client.client_name,
    client_description: client.client_description,
    status: client.status,
    full_access_allowed: client.full_access_allowed,
    client_type: client.client_type,
    redirect_urls: client.redirect_urls,
    access_token_expiry_minutes: client.access_token_expiry_minutes,
    access_token_template_content: client.access_token_template_content,
    post_logout_redirect_urls: client.post_logout_redirect_urls,
    bypass_consent_for_offline_access: client.bypass_consent_for_offline_access,
    creation_method: client.creation_method,
    id_token_template_content: client.id_token_template_content,
    ...(client.secret ? { client_secret_last_four: client.secret.last_four } : {}),
    ...(client.next_secret ? { next_client_secret_last_four: client.next_secret.last_four } : {}),
    ...(client.access_token_custom_audience ? { access_token_custom_audience: client.access_token_custom_audience } : {}),
    ...(client.logo_url ? { logo_url: client.logo_url } : {}),
    ...(client.metadata_document ? { client_id_metadata_url: client.metadata_document.url } : {}),
  };
}

/** The public view authorizeStart returns as `client`. */
export function toPublic(client: ClientRecord): ConnectedAppPublic {
  return {
    client_id: client.client_id,
    client_name: client.client_name,
    client_description: client.client_description,
    client_type: client.client_type,
    ...(client.logo_url ? { logo_url: client.logo_url } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Field rules shared by the API (create/update), the seed and DCR.

/**
 * A redirect URL: absolute, no fragment (RFC 6749 §3.1.2). Custom schemes are allowed (native apps).
 * Compared later by exact string match, so it is stored exactly as given.
 */
export const redirectUrlSchema = z.string().refine(
  (value) => {
    if (value.includes('#')) return false;
    try {
      const url = new URL(value);
      return url.protocol.length > 1 && value.length <= 2048;
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute URL without a fragment' },
);

const templateSchema = z.string().refine(
  (value) => {
    if (value === '') return true;
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    } catch {
      return false;
    }
  },
  { message: 'must be a JSON object' },
);

/**
 * Stytch documents the default (60) but not the bounds: 5 minutes to 24 hours is the `access_token_expiry_bounds`
 * guess (guesses.ts), checked by the API (validate.ts).
 */
export const ACCESS_TOKEN_EXPIRY_MINUTES = { min: 5, max: 1440 } as const;

export const clientFieldsSchema = z.object({
  client_name: z.string().max(256).optional(),
  client_description: z.string().max(2048).optional(),
  // The API checks each URL with Stytch's rules and errors (validate.ts); the seed with redirectUrlSchema.
  redirect_urls: z.array(z.string()).max(100).optional(),
  post_logout_redirect_urls: z.array(z.string()).max(100).optional(),
  full_access_allowed: z.boolean().optional(),
  bypass_consent_for_offline_access: z.boolean().optional(),
  access_token_expiry_minutes: z.number().int().positive().optional(),
  access_token_custom_audience: z.string().max(2048).optional(),
  access_token_template_content: templateSchema.optional(),
  id_token_template_content: templateSchema.optional(),
  logo_url: z.string().max(2048).optional(),
});
export type ClientFields = z.infer<typeof clientFieldsSchema>;

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Why a `logo_url` cannot be stored, or undefined when it can: consent pages show it as an image, so only
 * `https` is accepted, and `http` for a loopback host (the emulator is the local mode: the demo's logos are
 * served by the client-app on localhost). UNCONFIRMED: Stytch's own rule and error name are not documented;
 * the error is 400 `invalid_url` (DCR: `invalid_client_metadata`, RFC 7591 §3.2.2).
 */
export function logoUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `logo_url must be an absolute https URL (got "${value.slice(0, 100)}")`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) return undefined;
  return `logo_url must be an https URL (http only on localhost, 127.0.0.1 or [::1]); got a ${url.protocol} URL`;
}

/**
 * `full_access_allowed` and `bypass_consent_for_offline_access` exist for first-party clients only (Create
 * Connected App, https://stytch.com/docs/api-reference/consumer/api/connected-apps/clients/create-connected-app),
 * each refused with its own Stytch error.
 */
export function checkFirstPartyOnlyFields(type: ClientType, fields: ClientFields): void {
  if (isFirstParty({ client_type: type })) return;
  if (fields.full_access_allowed) {
    throw new StytchApiError(
      'third_party_clients_cannot_use_full_access',
      `full_access_allowed is only valid for first party clients (this client is ${type}).`,
    );
  }
  if (fields.bypass_consent_for_offline_access) {
    throw new StytchApiError(
      'third_party_clients_require_consent_for_offline_access',
      `bypass_consent_for_offline_access is only valid for first party clients (this client is ${type}).`,
    );
  }
}

/** Applies the given fields over `base` (an update keeps what is not given). */
export function applyFields<T extends ClientRecord>(base: T, fields: ClientFields): T {
  const next: T = { ...base };
  if (fields.client_name !== undefined) next.client_name = fields.client_name;
  if (fields.client_description !== undefined) next.client_description = fields.client_description;
  if (fields.redirect_urls !== undefined) next.redirect_urls = fields.redirect_urls;
  if (fields.post_logout_redirect_urls !== undefined) next.post_logout_redirect_urls = fields.post_logout_redirect_urls;
  if (fields.full_access_allowed !== undefined) next.full_access_allowed = fields.full_access_allowed;
  if (fields.bypass_consent_for_offline_access !== undefined) next.bypass_consent_for_offline_access = fields.bypass_consent_for_offline_access;
  if (fields.access_token_expiry_minutes !== undefined) next.access_token_expiry_minutes = fields.access_token_expiry_minutes;
  if (fields.access_token_template_content !== undefined) next.access_token_template_content = fields.access_token_template_content;
  if (fields.id_token_template_content !== undefined) next.id_token_template_content = fields.id_token_template_content;
  if (fields.access_token_custom_audience !== undefined) {
    if (fields.access_token_custom_audience) next.access_token_custom_audience = fields.access_token_custom_audience;
    else delete next.access_token_custom_audience;
  }
  if (fields.logo_url !== undefined) {
    const problem = fields.logo_url ? logoUrlProblem(fields.logo_url) : undefined;
    if (problem) throw new StytchApiError('invalid_url', problem);
    if (fields.logo_url) next.logo_url = fields.logo_url;
    else delete next.logo_url;
  }
  return next;
}

export function newClientRecord(
  ctx: Pick<EmulatorContext, 'now'>,
  init: { client_id: string; client_type: ClientType; creation_method: CreationMethod; secret?: HashedSecret },
  fields: ClientFields,
): ClientRecord {
  checkFirstPartyOnlyFields(init.client_type, fields);
  const base: ClientRecord = {
    client_id: init.client_id,
    client_type: init.client_type,
    client_name: '',
    client_description: '',
    status: 'active',
    redirect_urls: [],
    post_logout_redirect_urls: [],
    full_access_allowed: false,
    bypass_consent_for_offline_access: false,
    access_token_expiry_minutes: DEFAULT_ACCESS_TOKEN_EXPIRY_MINUTES,
    access_token_template_content: '',
    id_token_template_content: '',
    creation_method: init.creation_method,
    ...(init.secret ? { secret: init.secret } : {}),
    created_at: ctx.now(),
  };
  return applyFields(base, fields);
}

// ---------------------------------------------------------------------------------------------------------
// The seed (`clients` in src/shared/demo/*.json), called by the seed loader.

export const seedClientSchema = clientFieldsSchema
  .extend({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'client ids are URL-safe: letters, digits, . _ ~ -'),
    /** Fixed secret for confidential clients, so the demo apps know it; absent for public clients. */
    client_secret: z
      .string()
      .min(16)
      .regex(/^[^%+:\s]+$/, 'no %, +, : or whitespace: they would be mangled by Basic auth encoding')
      .optional(),
    client_type: z.enum(CLIENT_TYPES),
    client_name: z.string().max(256),
    redirect_urls: z.array(redirectUrlSchema).max(100),
    post_logout_redirect_urls: z.array(redirectUrlSchema).max(100).optional(),
    /** Fault scenarios active for this client from the start (emulator-only, see src/emulator/faults). */
    faults: z.array(z.enum(FAULT_NAMES)).optional(),
  })
  .strict()
  .superRefine((client, issue) => {
    const needsSecret = !isPublicClient(client);
    if (needsSecret && !client.client_secret)
      issue.addIssue({ code: 'custom', path: ['client_secret'], message: `a ${client.client_type} client needs a client_secret` });
    if (!needsSecret && client.client_secret)
      issue.addIssue({ code: 'custom', path: ['client_secret'], message: `a ${client.client_type} client has no secret` });
  });
export type SeedClient = z.infer<typeof seedClientSchema>;

/**
 * Creates or replaces a seeded client, idempotently: the seed is the source of truth for the fields it
 * names (id, type, secret, URLs). An ongoing secret rotation of that client is dropped.
 */
export function upsertSeedClient(ctx: EmulatorContext, seed: SeedClient): ClientRecord {
  const { client_id, client_secret, client_type, faults, ...fields } = seed;
  const existing = clientsCollection(ctx).get(client_id);
  const record = newClientRecord(
    ctx,
    { client_id, client_type, creation_method: 'seed', ...(client_secret ? { secret: hashedSecret(client_secret) } : {}) },
    fields,
  );
  if (existing) record.created_at = existing.created_at;
  clientsCollection(ctx).put(client_id, record);
  setClientFaults(ctx, client_id, (faults ?? []) as FaultName[], 'seed');
  return record;
}
