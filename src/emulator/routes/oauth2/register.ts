/**
 * `POST /v1/oauth2/register`: Dynamic Client Registration (RFC 7591 subset, ST-DCR), unauthenticated, off unless the project enables it
 * (`dynamic_client_registration`), as Stytch documents it
 * (https://stytch.com/docs/api-reference/consumer/api/connected-apps/application-management/dynamic-client-registration):
 * - no `token_endpoint_auth_method`, or `none` → a `third_party_public` client (the documented example omits the
 *   method and gets `none` back). Stytch hashes the submitted metadata and answers an exact repeat with the same
 *   client ("Client Deduplication"), so many installs of one MCP client are one Connected App;
 * - `client_secret_basic` or `client_secret_post` → a new confidential `third_party` client every time, whose
 *   secret is in this response only;
 * - every client gets grant_types [authorization_code, refresh_token] and response_types [code].
 * Errors are RFC 7591 §3.2.2's (`invalid_redirect_uri`, `invalid_client_metadata`), all 400; a full project is
 * `invalid_client_metadata` too, its description naming the limit and Stytch's `too_many_connected_apps` (RFC 7591
 * has no code for it). Everything is checked before anything is stored: a refused registration leaves nothing behind.
 * UNCONFIRMED: the error when DCR is off (the guess `dcr_disabled_stytch_error`: 400 with Stytch's name
 * `dynamic_client_registration_not_enabled` as the `error`, since RFC 7591 has none), the 201 status, and the optional `client_type` field (Stytch's vocabulary; it
 * must agree with the auth method).
 */
import { Router } from 'express';
import { z } from 'zod';
import { sha256Hex } from '../../basic-auth.ts';
import { clientsCollection, connectedAppLimitReached, logoUrlProblem, newClientRecord, redirectUrlSchema, type ClientRecord } from '../../clients/model.ts';
import { generateClientSecret, hashedSecret } from '../../clients/secrets.ts';
import { newId, type EmulatorContext } from '../../context.ts';
import { OAuthError, send } from '../../errors.ts';

const registrationSchema = z.object({
  client_name: z.string().max(256).optional(),
  client_uri: z.url().optional(),
  logo_uri: z.string().max(2048).optional(),
  redirect_uris: z.array(z.string()).min(1, 'at least one redirect URI is required'),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).default('none'),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
  response_types: z.array(z.literal('code')).optional(),
  scope: z.string().max(2048).optional(),
  /** Stytch's client type; DCR makes third-party clients only. */
  client_type: z
    .enum(['third_party', 'third_party_public'], { message: 'Dynamic Client Registration creates third_party or third_party_public clients only' })
    .optional(),
});
type Registration = z.infer<typeof registrationSchema>;

const GRANT_TYPES = ['authorization_code', 'refresh_token'];

/** Schemes a browser must never be sent to with a code (RFC 9700 §4.1, §2.1). */
const FORBIDDEN_SCHEMES = /^(javascript|data|vbscript|file|blob):/i;

const invalidMetadata = (description: string) => new OAuthError('invalid_client_metadata', description);

/** RFC 7591 §2: the metadata must be consistent; here, with what Stytch can issue. */
function checkMetadata(meta: Registration): void {
  const badUri = meta.redirect_uris.find((u) => !redirectUrlSchema.safeParse(u).success || FORBIDDEN_SCHEMES.test(u));
  if (badUri !== undefined) {
    throw new OAuthError('invalid_redirect_uri', `Not an absolute URL without a fragment, or a scheme no browser may be sent to: ${badUri}`);
  }
  const logoProblem = meta.logo_uri ? logoUrlProblem(meta.logo_uri) : undefined;
  if (logoProblem) throw invalidMetadata(logoProblem.replace('logo_url', 'logo_uri'));
  const confidential = meta.token_endpoint_auth_method !== 'none';
  if (meta.client_type === 'third_party_public' && confidential) {
    throw invalidMetadata(
      `A third_party_public client has no secret, so it cannot use ${meta.token_endpoint_auth_method}: use token_endpoint_auth_method none (with PKCE).`,
    );
  }
  if (meta.client_type === 'third_party' && !confidential) {
    throw invalidMetadata(
      'A third_party (confidential) client authenticates with its secret: use client_secret_basic or client_secret_post, or register a third_party_public client.',
    );
  }
  if (meta.grant_types && !meta.grant_types.includes('authorization_code')) {
    throw invalidMetadata('grant_types must include authorization_code: Connected Apps use the authorization code flow.');
  }
}

/** Stytch's deduplication key: a hash of every submitted field, in a canonical order. */
function fingerprint(meta: Registration): string {
  const canonical = Object.fromEntries(Object.entries(meta).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(JSON.stringify(canonical));
}

function wire(client: ClientRecord, meta: Registration, clientSecret?: string) {
  return {
    client_id: client.client_id,
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: client.created_at,
    client_name: client.client_name,
    redirect_uris: client.redirect_urls,
    grant_types: GRANT_TYPES,
    response_types: ['code'],
    token_endpoint_auth_method: meta.token_endpoint_auth_method,
    ...(client.logo_url ? { logo_uri: client.logo_url } : {}),
    ...(meta.client_uri ? { client_uri: meta.client_uri } : {}),
  };
}

export default function registerRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/register', (req, res) => {
    if (!ctx.settings().dynamic_client_registration) {
      const kind = ctx.settings().dcr_disabled_stytch_error ? 'dynamic_client_registration_not_enabled' : 'access_denied';
      throw new OAuthError(kind, 'Dynamic Client Registration is not enabled for this project (Dashboard > Connected Apps).');
    }
    const parsed = registrationSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw invalidMetadata(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const meta = parsed.data;
    checkMetadata(meta);
    const fields = {
      client_name: meta.client_name ?? '',
      redirect_urls: meta.redirect_uris,
      ...(meta.logo_uri ? { logo_url: meta.logo_uri } : {}),
    };
    const publicClient = meta.token_endpoint_auth_method === 'none';
    const key = publicClient ? fingerprint(meta) : undefined;
    const secret = publicClient ? undefined : generateClientSecret(ctx);

    const { client, created } = ctx.store.transaction(() => {
      const existing =
        key === undefined
          ? undefined
          : clientsCollection(ctx)
              .all()
              .find((c) => c.registration_fingerprint === key);
      if (existing) return { client: existing, created: false };
      if (connectedAppLimitReached(ctx)) {
        // RFC 7591 has no code for a full project; Stytch's error_type for it is too_many_connected_apps.
        throw invalidMetadata(
          `This project already holds its limit of ${ctx.connectedAppLimit} Connected Apps; no more can be registered until one is deleted.`,
        );
      }
      const record: ClientRecord = {
        ...newClientRecord(
          ctx,
          {
            client_id: newId(ctx, 'connected-app'),
            client_type: publicClient ? 'third_party_public' : 'third_party',
            creation_method: 'dynamic_client_registration',
            ...(secret ? { secret: hashedSecret(secret) } : {}),
          },
          fields,
        ),
        ...(key ? { registration_fingerprint: key } : {}),
      };
      return { client: clientsCollection(ctx).put(record.client_id, record), created: true };
    });
    if (created) ctx.log.info({ client_id: client.client_id, client_type: client.client_type }, 'client registered dynamically');
    send(res, wire(client, meta, secret), 201);
  });
  return router;
}
