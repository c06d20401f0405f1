/**
 * The Consumer identity API (users, passwords, sessions) for a Consumer project; the session JWKS for
 * either type. The IDP and Connected App routes live in their own modules.
 */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import jwksRoutes from './jwks.ts';
import passwordRoutes from './passwords.ts';
import sessionRoutes from './sessions.ts';
import userRoutes from './users.ts';

export default function consumerRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use(jwksRoutes(ctx));
  if (ctx.projectType === 'consumer') {
    router.use(userRoutes(ctx));
    router.use(passwordRoutes(ctx));
    router.use(sessionRoutes(ctx));
  }
  return router;
}
