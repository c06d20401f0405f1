/**
 * `POST /v1/oauth2/register`: Dynamic Client Registration (RFC 7591 subset, ST-DCR), unauthenticated,
 * off unless the project enables it (`dynamic_client_registration`).
 * - `token_endpoint_auth_method: none` → a `third_party_public` client; identical metadata returns the same
 *   client (Stytch deduplicates public registrations);
 * - `client_secret_basic` (RFC 7591's default) or `client_secret_post` → a new confidential `third_party`
 *   client, whose secret is in this response only.
 * Every DCR client gets grant_types [authorization_code, refresh_token] and response_types [code].
 * UNCONFIRMED: the error when DCR is off (the emulator answers 403 `access_denied`) and the 201 status.
 */
import { Router } from 'express';
import { z } from 'zod';
import { sha256Hex } from '../../basic-auth.ts';
import { clientsCollection, newClientRecord, redirectUrlSchema, type ClientRecord } from '../../clients/model.ts';
import { generateClientSecret, hashedSecret } from '../../clients/secrets.ts';
import { newId, type EmulatorContext } from '../../context.ts';
import { OAuthError, send } from '../../errors.ts';

const registrationSchema = z.object({
  client_name: z.string().max(256).optional(),
  client_uri: z.url().optional(),
  logo_uri: z.url().optional(),
  redirect_uris: z.array(z.string()).min(1, 'at least one redirect URI is required'),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).default('client_secret_basic'),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token'])).optional(),
  response_types: z.array(z.literal('code')).optional(),
  scope: z.string().optional(),
});

const GRANT_TYPES = ['authorization_code', 'refresh_token'];

function wire(client: ClientRecord, method: string, extra: { client_uri?: string | undefined; client_secret?: string }) {
  return {
    client_id: client.client_id,
    ...(extra.client_secret ? { client_secret: extra.client_secret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: client.created_at,
    client_name: client.client_name,
    redirect_uris: client.redirect_urls,
    grant_types: GRANT_TYPES,
    response_types: ['code'],
    token_endpoint_auth_method: method,
    ...(client.logo_url ? { logo_uri: client.logo_url } : {}),
    ...(extra.client_uri ? { client_uri: extra.client_uri } : {}),
  };
}

export default function registerRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/register', (req, res) => {
    if (!ctx.settings().dynamic_client_registration) {
      throw new OAuthError(403, 'access_denied', 'Dynamic Client Registration is not enabled for this project.');
    }
    const parsed = registrationSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new OAuthError(400, 'invalid_client_metadata', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    const meta = parsed.data;
    const badUri = meta.redirect_uris.find((u) => !redirectUrlSchema.safeParse(u).success);
    if (badUri !== undefined) throw new OAuthError(400, 'invalid_redirect_uri', `Not an absolute URL without a fragment: ${badUri}`);
    const fields = {
      client_name: meta.client_name ?? '',
      redirect_urls: meta.redirect_uris,
      ...(meta.logo_uri ? { logo_url: meta.logo_uri } : {}),
    };

    if (meta.token_endpoint_auth_method === 'none') {
      const fingerprint = sha256Hex(JSON.stringify([meta.client_name ?? '', meta.client_uri ?? '', meta.logo_uri ?? '', meta.redirect_uris]));
      const existing = clientsCollection(ctx)
        .all()
        .find((c) => c.registration_fingerprint === fingerprint);
      let client = existing;
      if (!client) {
        const clientId = newId(ctx, 'connected-app');
        client = clientsCollection(ctx).put(clientId, {
          ...newClientRecord(ctx, { client_id: clientId, client_type: 'third_party_public', creation_method: 'dynamic_client_registration' }, fields),
          registration_fingerprint: fingerprint,
        });
        ctx.log.info({ client_id: clientId }, 'public client registered dynamically');
      }
      send(res, wire(client, 'none', { client_uri: meta.client_uri }), 201);
      return;
    }
    const secret = generateClientSecret(ctx);
    const client = newClientRecord(
      ctx,
      { client_id: newId(ctx, 'connected-app'), client_type: 'third_party', creation_method: 'dynamic_client_registration', secret: hashedSecret(secret) },
      fields,
    );
    clientsCollection(ctx).put(client.client_id, client);
    ctx.log.info({ client_id: client.client_id }, 'client registered dynamically');
    send(res, wire(client, meta.token_endpoint_auth_method, { client_uri: meta.client_uri, client_secret: secret }), 201);
  });
  return router;
}
