/**
 * Client ID Metadata Documents (CIMD, draft-ietf-oauth-client-id-metadata-document; Stytch supports them,
 * https://stytch.com/docs/guides/connected-apps/client-types "via Client ID Metadata documents"): a
 * `client_id` that is an https URL names a JSON document, hosted by the client, that describes it. The
 * emulator fetches and validates it when an authorization request names it, keeps the client as a
 * `third_party_public` Connected App whose `client_id` is the URL (`client_id_metadata_url` on the wire), and
 * fetches it again when the HTTP cache lifetime of the last answer has passed.
 *
 * Each rule, with its source (draft §3 = the client identifier, §4 = the document, §6 = the server):
 * - the URL: https, a path, no fragment, no user info, no `.`/`..` segments (§3); loopback `http` only with the
 *   loudly named `allowInsecureClientMetadataUrls` option, for local tests;
 * - the fetch: no redirects followed (the document must be at its own URL), a timeout and a size limit (§6:
 *   servers SHOULD limit both; the draft suggests 5 KB), an HTTP 200;
 * - the document: a JSON object whose `client_id` equals the URL exactly (§4.1), with `redirect_uris` (the
 *   redirect URI of each request must be one of them, checked like any client's), no `client_secret` (§4.1:
 *   MUST NOT), `token_endpoint_auth_method` absent or `none` (a public client), and only the grant and response
 *   types a Connected App has;
 * - caching: `Cache-Control: max-age` (no-store / no-cache: every time), bounded to a day; 5 minutes without one
 *   (RFC 9111 §4.2; the bounds are the emulator's choice, UNCONFIRMED for Stytch).
 * Every failure is a reason in plain words; the authorize checks turn it into Stytch's `invalid_client_id`.
 */
import { z } from 'zod';
import { newClientRecord, clientsCollection, connectedAppLimitReached, redirectUrlSchema, type ClientRecord } from './model.ts';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';

export interface ClientMetadataDocumentOptions {
  /** DANGEROUS, local tests only: accept `http://` documents on loopback hosts. Logged as a warning at start. */
  allowInsecureUrls: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_CLIENT_METADATA_DOCUMENT_OPTIONS: ClientMetadataDocumentOptions = { allowInsecureUrls: false, timeoutMs: 5000, maxBytes: 5 * 1024 };

/** Without Cache-Control, and the ceiling with one. */
export const DEFAULT_CACHE_SECONDS = 5 * 60;
export const MAX_CACHE_SECONDS = 24 * 3600;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether this client_id is meant as a metadata document URL at all (anything else is an ordinary id). */
export function looksLikeMetadataDocumentUrl(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

/** Draft §3: the shape of a client identifier URL; undefined when acceptable. */
export function metadataDocumentUrlProblem(clientId: string, opts: Pick<ClientMetadataDocumentOptions, 'allowInsecureUrls'>): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOSTS.has(url.hostname)) return 'must use https';
    if (!opts.allowInsecureUrls) return 'uses http, which only the emulator option allowInsecureClientMetadataUrls (local tests) permits';
  } else if (url.protocol !== 'https:') return 'must use https';
  if (clientId.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.pathname === '/' || url.pathname === '') return 'must have a path (e.g. https://app.example/oauth/client.json)';
  if (/\/\.\.?(\/|$)/.test(clientId.replace(/[?#].*$/, ''))) return 'must not contain . or .. path segments';
  return undefined;
}

const documentSchema = z.object({
  client_id: z.string(),
  redirect_uris: z.array(redirectUrlSchema, { message: 'redirect_uris must be a list of absolute URLs' }).min(1, 'redirect_uris must list at least one redirect URI'),
  client_name: z.string().max(256).optional(),
  client_uri: z.url().optional(),
  logo_uri: z.url().optional(),
  token_endpoint_auth_method: z.literal('none', { message: 'token_endpoint_auth_method must be none: a metadata document client is public' }).optional(),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
  response_types: z.array(z.literal('code')).optional(),
});

/** The reason a document cannot be used, or its parsed content. */
export function validateDocument(url: string, body: unknown): { problem: string } | { document: z.infer<typeof documentSchema> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'is not a JSON object' };
  const record = body as Record<string, unknown>;
  if ('client_secret' in record || 'client_secret_expires_at' in record) return { problem: 'contains a client_secret, which a metadata document must never publish' };
  if (record.client_id !== url) return { problem: `says client_id ${JSON.stringify(record.client_id)}, not the URL it was fetched from` };
  const parsed = documentSchema.safeParse(record);
  if (!parsed.success) return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ') };
  return { document: parsed.data };
}

/** RFC 9111 §5.2.2: how long the answer may be reused, bounded. */
export function cacheSeconds(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_CACHE_SECONDS;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  return maxAge === undefined ? DEFAULT_CACHE_SECONDS : Math.min(Number(maxAge), MAX_CACHE_SECONDS);
}

/** Reads at most `maxBytes`; a longer body is refused without reading the rest. */
async function readLimited(res: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchDocument(url: string, opts: ClientMetadataDocumentOptions): Promise<{ problem: string } | { body: unknown; maxAge: number }> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { problem: timedOut ? `did not answer within ${opts.timeoutMs} ms` : `could not be fetched (${err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)})` };
  }
  try {
    if (res.status >= 300 && res.status < 400) return { problem: `answered with a redirect (HTTP ${res.status}); the document must be served at its own URL` };
    if (res.status !== 200) return { problem: `answered HTTP ${res.status}, not 200` };
    const text = await readLimited(res, opts.maxBytes);
    if (text === undefined) return { problem: `is larger than ${opts.maxBytes} bytes` };
    try {
      return { body: JSON.parse(text) as unknown, maxAge: cacheSeconds(res.headers.get('cache-control')) };
    } catch {
      return { problem: 'is not JSON' };
    }
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { problem: timedOut ? `did not answer within ${opts.timeoutMs} ms` : 'could not be read' };
  }
}

/**
 * The Connected App for a metadata document URL: the cached one while fresh, else fetched, validated and
 * stored (created or updated). `{ problem }` says why it cannot be used; nothing is stored then. A full
 * project is Stytch's `too_many_connected_apps`, thrown.
 */
export async function resolveMetadataDocumentClient(ctx: EmulatorContext, url: string): Promise<{ client: ClientRecord } | { problem: string }> {
  const opts = ctx.clientMetadataDocuments;
  const urlProblem = metadataDocumentUrlProblem(url, opts);
  if (urlProblem) return { problem: `the client_id URL ${urlProblem}` };
  const cached = clientsCollection(ctx).get(url);
  if (cached?.metadata_document && cached.metadata_document.expires_at > ctx.now()) return { client: cached };

  const fetched = await fetchDocument(url, opts);
  if ('problem' in fetched) return { problem: `the client metadata document ${fetched.problem}` };
  const checked = validateDocument(url, fetched.body);
  if ('problem' in checked) return { problem: `the client metadata document ${checked.problem}` };
  const { document } = checked;

  const now = ctx.now();
  return ctx.store.transaction(() => {
    const existing = clientsCollection(ctx).get(url);
    if (!existing && connectedAppLimitReached(ctx)) {
      // UNCONFIRMED status; the name is Stytch's.
      throw new StytchApiError(400, 'too_many_connected_apps', `This project already has ${ctx.connectedAppLimit} Connected Apps; the client ${url} cannot be added.`);
    }
    const record: ClientRecord = {
      ...newClientRecord(
        ctx,
        { client_id: url, client_type: 'third_party_public', creation_method: 'client_id_metadata_document' },
        { client_name: document.client_name ?? new URL(url).host, redirect_urls: document.redirect_uris, ...(document.logo_uri ? { logo_url: document.logo_uri } : {}) },
      ),
      ...(existing ? { created_at: existing.created_at } : {}),
      metadata_document: { url, fetched_at: now, expires_at: now + fetched.maxAge },
    };
    if (!existing) ctx.log.info({ client_id: url }, 'client registered from its metadata document');
    return { client: clientsCollection(ctx).put(url, record) };
  });
}
