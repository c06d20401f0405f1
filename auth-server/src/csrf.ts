/**
 * Anti-forgery tokens (synchroniser token pattern): one random token per session, put in every form,
 * compared in constant time on every POST. SameSite=Lax does not help here: localhost:3000 and
 * localhost:3001 are the same site, and Stytch's authorize API grants a code for any
 * `consent_granted: true` it receives, so this check is the only gate in front of it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { PageError } from './errors.ts';
import { authState } from './session.ts';
import { formField } from './forms.ts';

export const CSRF_FIELD = '_csrf';

/** The session's token, created on first use (which also starts the session). */
export function csrfToken(req: Request): string {
  const state = authState(req);
  state.csrfToken ??= randomBytes(32).toString('base64url');
  return state.csrfToken;
}

/** Throws 403 unless the form carries this session's token. Call before anything else in a POST handler. */
export function verifyCsrf(req: Request): void {
  const sent = formField(req, CSRF_FIELD);
  const expected = req.session.authServer?.csrfToken;
  if (!sent || !expected || !safeEqual(sent, expected)) throw new PageError('csrf_invalid');
}

function safeEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks no length.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
