/**
 * The OAuth endpoints of the project domain, served under `/v1/oauth2/*` and under the legacy
 * `/v1/public/{project_id}/oauth2/*` that the SDK itself calls (ST-TOKEN). No project secret here:
 * these endpoints authenticate clients (token, introspect, revoke) or bearer tokens (userinfo).
 * Every response, success or error, carries `Cache-Control: no-store` and `Pragma: no-cache` (AS-7).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError } from '../../errors.ts';
import { recordResponses } from '../../faults/evidence.ts';
import { claimedClientId } from '../../oauth/client-auth.ts';
import authorizeRoutes from './authorize.ts';
import introspectRoutes from './introspect.ts';
import registerRoutes from './register.ts';
import revokeRoutes from './revoke.ts';
import tokenRoutes from './token.ts';
import userinfoRoutes from './userinfo.ts';

export const OAUTH2_PREFIXES = ['/v1/oauth2', '/v1/public/:project_id/oauth2'];

export default function oauth2Routes(ctx: EmulatorContext): Router {
  const endpoints = Router({ mergeParams: true });
  endpoints.use((req: Request<{ project_id?: string }>, res: Response, next: NextFunction) => {
    if (req.params.project_id !== undefined && req.params.project_id !== ctx.projectId) {
      next(new StytchApiError('project_not_found', `This emulator serves project ${ctx.projectId}, not ${req.params.project_id}.`));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  });
  // Evidence for conformance runs: who called which endpoint, and what it answered (faults/evidence.ts).
  endpoints.use(recordResponses(ctx, (req) => req.path.replace(/^\//, ''), claimedClientId));
  for (const routes of [tokenRoutes, userinfoRoutes, introspectRoutes, revokeRoutes, authorizeRoutes, registerRoutes]) endpoints.use(routes(ctx));

  const router = Router();
  router.use(OAUTH2_PREFIXES, endpoints);
  return router;
}
