/**
 * IDP authorize start / submit: `POST /v1/idp/oauth/authorize{/start,}` on a Consumer project and
 * `POST /v1/b2b/idp/oauth/authorize{/start,}` on a B2B project (Basic auth; ST-IDP-AUTHORIZE).
 */
import { Router } from 'express';
import { toPublic } from '../../clients/model.ts';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { validateAuthorizeStart, validateAuthorizeSubmit, type AuthorizeTransaction } from '../../oauth/authorize/index.ts';
import { completeAuthorization } from '../../oauth/authorize/submit.ts';

function startResponse(tx: AuthorizeTransaction): object {
  const who =
    tx.identity.kind === 'user'
      ? { user_id: tx.identity.user.user_id, user: tx.identity.user }
      : { member_id: tx.identity.member.member_id, member: tx.identity.member, organization: tx.identity.organization };
  return { ...who, client: toPublic(tx.client), consent_required: tx.consentRequired, scope_results: tx.scopeResults };
}

export default function idpAuthorizeRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const base = ctx.projectType === 'b2b' ? '/v1/b2b/idp/oauth/authorize' : '/v1/idp/oauth/authorize';
  router.post(`${base}/start`, async (req, res) => {
    send(res, startResponse(await validateAuthorizeStart(ctx, req.body)));
  });
  router.post(base, async (req, res) => {
    const { tx, request } = await validateAuthorizeSubmit(ctx, req.body);
    send(res, completeAuthorization(ctx, tx, request));
  });
  return router;
}
