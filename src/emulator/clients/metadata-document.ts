/**
 * Client ID Metadata Documents (CIMD, draft-ietf-oauth-client-id-metadata-document; Stytch supports them,
 * https://stytch.com/docs/guides/connected-apps/client-types "via Client ID Metadata documents"): a
 * `client_id` that is an https URL names a JSON document, hosted by the client, that describes it. The
 * emulator fetches and validates it when an authorization request names it, keeps the client as a
 * `third_party_public` Connected App whose `client_id` is the URL (`client_id_metadata_url` on the wire), and
 * fetches it again when the HTTP cache lifetime of the last answer has passed.
 *
 * Each rule, with its section of the CIMD draft (CIMD §3 = the client identifier, CIMD §4 = the document,
 * CIMD §6 = the server):
 * - the URL: https, a path, no fragment, no user info, no `.`/`..` segments (CIMD §3); on a loopback host, plain `http`
 *   or a self-signed certificate only with the loudly named `allowInsecureClientMetadataUrls` option, for local tests;
 * - the fetch: no redirects followed (the document must be at its own URL), a timeout and a size limit (CIMD §6:
 *   servers SHOULD limit both; the draft suggests 5 KB), an HTTP 200;
 * - the document: a JSON object whose `client_id` equals the URL exactly (CIMD §4.1), with `redirect_uris` (the
 *   redirect URI of each request must be one of them, checked like any client's), no `client_secret` (CIMD §4.1:
 *   MUST NOT), `token_endpoint_auth_method` absent or `none` (a public client), and only the grant and response
 *   types a Connected App has;
 * - caching: `Cache-Control: max-age` (no-store / no-cache: every time), bounded to a day; 5 minutes without one
 *   (RFC 9111 §4.2; the bounds are the emulator's choice, UNCONFIRMED for Stytch).
 * Every failure is a reason in plain words; the authorize checks turn it into Stytch's `invalid_client_id`.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { newClientRecord, clientsCollection, connectedAppLimitReached, logoUrlProblem, redirectUrlSchema, type ClientRecord } from './model.ts';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';

export interface ClientMetadataDocumentOptions {
  /**
   * DANGEROUS, local tests only: on loopback hosts, accept `http://` documents and https ones with any
   * certificate. Logged as a warning at start.
   */
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

/** draft-ietf-oauth-client-id-metadata-document §3: the shape of a client identifier URL; undefined when acceptable. */
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
  redirect_uris: z
    .array(redirectUrlSchema, { message: 'redirect_uris must be a list of absolute URLs' })
    .min(1, 'redirect_uris must list at least one redirect URI'),
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
  if ('client_secret' in record || 'client_secret_expires_at' in record)
    return { problem: 'contains a client_secret, which a metadata document must never publish' };
  if (record.client_id !== url) return { problem: `says client_id ${JSON.stringify(record.client_id)}, not the URL it was fetched from` };
  const parsed = documentSchema.safeParse(record);
  if (!parsed.success) return { problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ') };
  // The consent page shows the logo: the rule of every other way a client is made (clients/model.ts).
  const logoProblem = parsed.data.logo_uri ? logoUrlProblem(parsed.data.logo_uri) : undefined;
  if (logoProblem) return { problem: logoProblem.replace('logo_url', 'logo_uri') };
  return { document: parsed.data };
}

/** RFC 9111 §5.2.2: how long the answer may be reused, bounded. */
export function cacheSeconds(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_CACHE_SECONDS;
  const directives = cacheControl
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)?.[1]).find((v) => v !== undefined);
  return maxAge === undefined ? DEFAULT_CACHE_SECONDS : Math.min(Number(maxAge), MAX_CACHE_SECONDS);
}

type Fetched = { problem: string } | { body: unknown; maxAge: number };

/**
 * GET with node's own client (not `fetch`): no redirect is ever followed, the whole exchange has one deadline,
 * the body is cut off past `maxBytes`, and, only with `allowInsecureUrls`, a loopback https document may have a
 * self-signed certificate (MCP clients insist on https client ids, so local tests serve them that way).
 */
function fetchDocument(url: string, opts: ClientMetadataDocumentOptions): Promise<Fetched> {
  const target = new URL(url);
  const insecureLoopback = opts.allowInsecureUrls && LOOPBACK_HOSTS.has(target.hostname);
  return new Promise<Fetched>((resolve) => {
    let settled = false;
    const settle = (result: Fetched) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(result);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'GET', headers: { accept: 'application/json' }, ...(insecureLoopback ? { rejectUnauthorized: false } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) return settle({ problem: `answered with a redirect (HTTP ${status}); the document must be served at its own URL` });
      if (status !== 200) return settle({ problem: `answered HTTP ${status}, not 200` });
      if (Number(res.headers['content-length'] ?? 0) > opts.maxBytes) return settle({ problem: `is larger than ${opts.maxBytes} bytes` });
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > opts.maxBytes) settle({ problem: `is larger than ${opts.maxBytes} bytes` });
        else chunks.push(chunk);
      });
      res.on('error', () => settle({ problem: 'could not be read' }));
      res.on('end', () => {
        try {
          settle({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, maxAge: cacheSeconds(res.headers['cache-control'] ?? null) });
        } catch {
          settle({ problem: 'is not JSON' });
        }
      });
    });
    const deadline = setTimeout(() => settle({ problem: `did not answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    req.on('error', (err) => settle({ problem: `could not be fetched (${err.message})` }));
    req.end();
  });
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
      throw new StytchApiError(
        'too_many_connected_apps',
        `This project already has ${ctx.connectedAppLimit} Connected Apps; the client ${url} cannot be added.`,
      );
    }
    const record: ClientRecord = {
      ...newClientRecord(
        ctx,
        { client_id: url, client_type: 'third_party_public', creation_method: 'client_id_metadata_document' },
        {
          client_name: document.client_name ?? new URL(url).host,
          redirect_urls: document.redirect_uris,
          ...(document.logo_uri ? { logo_url: document.logo_uri } : {}),
        },
      ),
      ...(existing ? { created_at: existing.created_at } : {}),
      metadata_document: { url, fetched_at: now, expires_at: now + fetched.maxAge },
    };
    if (!existing) ctx.log.info({ client_id: url }, 'client registered from its metadata document');
    return { client: clientsCollection(ctx).put(url, record) };
  });
}
