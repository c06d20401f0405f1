/** `POST /v1/oauth2/token`: the pipeline is in oauth/token/index.ts; here only HTTP concerns. */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { OAuthError, send } from '../../errors.ts';
import { tokenEndpointRateLimit } from '../../oauth/rate-limit.ts';
import { handleTokenRequest } from '../../oauth/token/index.ts';

export default function tokenRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.post('/token', tokenEndpointRateLimit(ctx), async (req, res) => {
    const hungUp = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) hungUp.abort();
    });
    const tokens = await handleTokenRequest(ctx, req, hungUp.signal);
    send(res, tokens);
  });
  router.all('/token', () => {
    throw new OAuthError('method_not_allowed', 'The token endpoint accepts POST only.', { headers: { Allow: 'POST' } });
  });
  return router;
}
