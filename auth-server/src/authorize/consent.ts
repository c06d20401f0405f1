/**
 * Step 4: consent. The pending request is stored in the server-side session under a random transaction
 * id; the page's form carries only that id, the CSRF token and the decision, so nothing security-relevant
 * is ever read back from hidden fields.
 */
import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { SafeHtml } from '../../../src/shared/html.ts';
import { csrfToken } from '../csrf.ts';
import { authState, type PendingAuthorization } from '../session.ts';
import type { SignedIn } from '../stytch/backend.ts';
import { consentPage } from '../views/consent.ts';
import type { ViewContext } from '../views/layout.ts';
import type { AuthorizationRequest } from './parse-request.ts';
import type { Started } from './start.ts';

/** An unanswered consent page stays valid this long, and a session keeps at most this many. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 5;

export function savePending(req: Request, request: AuthorizationRequest, signedIn: SignedIn): string {
  const state = authState(req);
  const now = Date.now();
  const kept = Object.entries(state.pending ?? {})
    .filter(([, p]) => now - p.createdAt < PENDING_TTL_MS)
    .sort(([, a], [, b]) => b.createdAt - a.createdAt)
    .slice(0, MAX_PENDING - 1);
  const id = randomBytes(24).toString('base64url');
  state.pending = Object.fromEntries([...kept, [id, { request, subject: signedIn.subject, createdAt: now } satisfies PendingAuthorization]]);
  return id;
}

/** Removes and returns the pending request: each consent page can be answered once. */
export function takePending(req: Request, id: string | undefined): PendingAuthorization | undefined {
  const pending = req.session.authServer?.pending;
  if (!pending || !id || !Object.hasOwn(pending, id)) return undefined;
  const found = pending[id];
  delete pending[id];
  if (!found || Date.now() - found.createdAt >= PENDING_TTL_MS) return undefined;
  return found;
}

export function renderConsent(view: ViewContext, req: Request, request: AuthorizationRequest, started: Started, signedIn: SignedIn): SafeHtml {
  const transactionId = savePending(req, request, signedIn);
  return consentPage(view, {
    start: started.start,
    transactionId,
    csrfToken: csrfToken(req),
    redirectUri: request.redirectUri,
    resources: request.resources,
    returnTo: req.originalUrl,
  });
}
