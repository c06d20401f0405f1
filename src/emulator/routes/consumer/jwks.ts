/**
 * The project's session JWKS, unauthenticated: `GET /v1/sessions/jwks/{project_id}` (what `stytch.Client`
 * fetches) and `GET /v1/b2b/sessions/jwks/{project_id}` (what `stytch.B2BClient` fetches). Served for
 * either project type, with `request_id` and `status_code` next to `keys` as Stytch's body has them.
 */
import { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';

export default function jwksRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const jwks = (req: Request<{ project_id: string }>, res: Response) => {
    if (req.params.project_id !== ctx.projectId) {
      // UNCONFIRMED status and error_type for another project's id.
      throw new StytchApiError('project_not_found', `This emulator serves project ${ctx.projectId}, not ${req.params.project_id}.`);
    }
    send(res, ctx.keys.jwks());
  };
  router.get('/v1/sessions/jwks/:project_id', jwks);
  router.get('/v1/b2b/sessions/jwks/:project_id', jwks);
  return router;
}
