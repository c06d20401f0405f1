/**
 * Anti-forgery tokens for the app's POST forms (synchroniser token pattern). SameSite=Lax is no defence here:
 * localhost:3000 and localhost:3001 are the same site, so another local app could post to this one.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RpError } from '../errors.ts';

export const CSRF_FIELD = '_csrf';

/** The session's token, created on first use. Only pages with forms call this, so visitors get no session. */
export function csrfToken(req: Request): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

export function requireCsrf(req: Request, _res: Response, next: NextFunction): void {
  const expected = req.session.csrfToken;
  const sent: unknown = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  const ok =
    typeof expected === 'string' && typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new RpError('ERR_CSRF', 'missing or invalid anti-forgery token');
  next();
}
