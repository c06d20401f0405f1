/**
 * IDP authorize start / submit: `POST /v1/idp/oauth/authorize{/start,}` on a Consumer project and
 * `POST /v1/b2b/idp/oauth/authorize{/start,}` on a B2B project (Basic auth; ST-IDP-AUTHORIZE).
 */
import { Router } from 'express';
import { requireProjectAuth } from '../../basic-auth.ts';
import { findClient, toPublic } from '../../clients/model.ts';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { recordEvent, recordResponses } from '../../faults/evidence.ts';
import { isRegisteredRedirectUri } from '../../../shared/redirect-uri.ts';
import { validateAuthorizeStart, validateAuthorizeSubmit, type AuthorizeTransaction } from '../../oauth/authorize/index.ts';
import { completeAuthorization } from '../../oauth/authorize/submit.ts';

function startResponse(tx: AuthorizeTransaction): object {
  const who =
    tx.identity.kind === 'user'
      ? { user_id: tx.identity.user.user_id, user: tx.identity.user }
      : { member_id: tx.identity.member.member_id, member: tx.identity.member, organization: tx.identity.organization };
  return { ...who, client: toPublic(tx.client), consent_required: tx.consentRequired, scope_results: tx.scopeResults };
}

/**
 * Evidence for conformance runs (faults/evidence.ts): the authorization request as the relying party sent it,
 * whether or not it is valid. Only whether `state`, `nonce` and a challenge were there, never their values.
 */
function recordRequest(ctx: EmulatorContext, body: unknown, step: 'start' | 'submit'): void {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.client_id !== 'string') return;
  const sent = (name: string) => typeof b[name] === 'string' && b[name] !== '';
  const redirectUri = typeof b.redirect_uri === 'string' ? b.redirect_uri : undefined;
  const client = findClient(ctx, b.client_id);
  recordEvent(ctx, {
    kind: 'authorization_request',
    client_id: b.client_id,
    step,
    redirect_uri: redirectUri,
    redirect_uri_registered: Boolean(
      client &&
        redirectUri !== undefined &&
        isRegisteredRedirectUri(client.redirect_urls, redirectUri, { localhostAnyPort: ctx.settings().localhost_redirect_any_port }),
    ),
    state_sent: sent('state'),
    nonce_sent: sent('nonce'),
    code_challenge_sent: sent('code_challenge'),
  });
}

export default function idpAuthorizeRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const base = ctx.projectType === 'b2b' ? '/v1/b2b/idp/oauth/authorize' : '/v1/idp/oauth/authorize';
  const clientOf = (req: { body?: unknown }) => {
    const id = (req.body as Record<string, unknown> | undefined)?.client_id;
    return typeof id === 'string' ? id : undefined;
  };
  // Backend API: the project's secret is required, as on every /v1 endpoint (it mints codes for any person).
  // Checked first, so that conformance evidence holds only the authorization server's own requests.
  router.use(
    base,
    requireProjectAuth(ctx),
    recordResponses(ctx, (req) => (req.path.endsWith('/start') ? 'authorize/start' : 'authorize'), clientOf),
  );
  router.post(`${base}/start`, async (req, res) => {
    recordRequest(ctx, req.body, 'start');
    send(res, startResponse(await validateAuthorizeStart(ctx, req.body)));
  });
  router.post(base, async (req, res) => {
    recordRequest(ctx, req.body, 'submit');
    const { tx, request } = await validateAuthorizeSubmit(ctx, req.body);
    send(res, completeAuthorization(ctx, tx, request));
  });
  return router;
}
