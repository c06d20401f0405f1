/**
 * The B2B identity API (organizations, members, passwords, member sessions), for a B2B project.
 * The session JWKS (both paths) is served by ../consumer/jwks.ts for either project type.
 */
import { Router } from 'express';
import type { EmulatorContext } from '../../context.ts';
import organizationRoutes from './organizations.ts';
import b2bPasswordRoutes from './passwords.ts';
import b2bSessionRoutes from './sessions.ts';

export default function b2bRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  if (ctx.projectType === 'b2b') {
    router.use(organizationRoutes(ctx));
    router.use(b2bPasswordRoutes(ctx));
    router.use(b2bSessionRoutes(ctx));
  }
  return router;
}
