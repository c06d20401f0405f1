/**
 * The Authorization URL: every step of the flow, in order, in one place. Each step is its own module.
 *
 *   GET  /oauth/authorize         parse → (malformed: error to client) → session → authorizeStart
 *                                 → consent page, or authorize → 302 to the client
 *   POST /oauth/authorize/submit  CSRF → pending request (server-side) → session, same person
 *                                 → authorize(consent_granted) → 303 to the client
 *
 * Stytch sees the session token at every step (authorizeStart, authorize): a session it refuses as revoked
 * ends the local sign-in there, as if requireSession had found it expired.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { verifyCsrf } from '../csrf.ts';
import { OAuthRedirectError, PageError } from '../errors.ts';
import { formField } from '../forms.ts';
import { sameSubject } from '../stytch/backend.ts';
import { parseAuthorizationRequest } from './parse-request.ts';
import { verifyRedirectTarget } from './redirect-target.ts';
import { endIfSessionGone, requireSession } from './require-session.ts';
import { startAuthorization, type Started } from './start.ts';
import { renderConsent, takePending } from './consent.ts';
import { submitAuthorization } from './submit.ts';

export function authorizeRouter(ctx: AppContext): Router {
  const { stytch } = ctx;
  const router = Router();

  router.get('/oauth/authorize', async (req: Request, res: Response) => {
    // 1. Read the request. A bad client_id or redirect_uri throws the error page here.
    const { request, problem } = parseAuthorizationRequest(new URL(req.originalUrl, 'http://localhost').searchParams);

    // 2. Any other malformed parameter goes back to the client, once its redirect_uri is verified.
    if (problem) throw new OAuthRedirectError(problem.code, await verifyRedirectTarget(stytch, request), problem.description);

    const notSignedIn = async () => {
      if (request.prompt.includes('none')) {
        throw new OAuthRedirectError('login_required', await verifyRedirectTarget(stytch, request), 'The user is not signed in.');
      }
      res.redirect(302, `/login?return_to=${encodeURIComponent(req.originalUrl)}`);
    };

    // 3. Someone must be signed in (and have just signed in, for prompt=login).
    const session = await requireSession(stytch, req, { forceLogin: request.prompt.includes('login') });
    if (!session.signedIn) return notSignedIn();

    // 4. Stytch validates the client, redirect_uri and scopes for this person, and says whether consent is needed.
    let started: Started;
    try {
      started = await startAuthorization(stytch, request, session.signedIn);
    } catch (err) {
      // Stytch no longer knows the session (revoked elsewhere while its JWT was still young).
      if (endIfSessionGone(req, err)) return notSignedIn();
      throw err;
    }

    // 5. Consent, unless Stytch says it is already given (or not needed for a first-party client).
    if (started.start.consentRequired) {
      if (request.prompt.includes('none')) throw new OAuthRedirectError('consent_required', started.target, 'The user has not granted consent.');
      res.type('html').send(renderConsent(ctx.view, req, request, started, session.signedIn).toString());
      return;
    }

    // 6. No consent needed: Stytch issues the code. consent_granted is false because nobody was asked,
    //    which is what Stytch's own hosted UI sends; Stytch still issues a code when consent was not required.
    const location = await submitAuthorization(stytch, request, session.signedIn, { consentGranted: false });
    res.redirect(302, location);
  });

  router.post('/oauth/authorize/submit', async (req: Request, res: Response) => {
    // 1. Forged posts stop here, before anything is sent to Stytch.
    verifyCsrf(req);

    // 2. The request as stored when the consent page was shown, never as re-posted by the browser.
    const pending = takePending(req, formField(req, 'transaction_id'));
    if (!pending) throw new PageError('transaction_not_found');
    const decision = formField(req, 'decision');
    if (decision !== 'allow' && decision !== 'deny') throw new PageError('bad_request');

    // 3. Still signed in, as the person the page was shown to.
    const session = await requireSession(stytch, req, { forceLogin: false });
    if (!session.signedIn) throw new PageError('session_expired');
    if (!sameSubject(session.signedIn.subject, pending.subject)) throw new PageError('session_changed');

    // 4. Stytch records the decision and returns the client's redirect_uri with a code or an error. No second
    //    authorizeStart: authorize validates client, redirect_uri, scopes and the session token itself, the
    //    request is the one authorizeStart accepted for the consent page (kept server-side, PKCE rule included),
    //    and the person is checked above. prompt=consent because the person was asked: Stytch then treats the
    //    decision as an answer (Deny ends in access_denied, never in a code).
    let location: string;
    try {
      location = await submitAuthorization(stytch, pending.request, session.signedIn, {
        consentGranted: decision === 'allow',
        forceConsent: true,
      });
    } catch (err) {
      if (endIfSessionGone(req, err)) throw new PageError('session_expired', {}, { cause: err });
      throw err;
    }
    // 303: the browser follows with a GET; a 307 would re-post this form to the client (RFC 9700 §4.12).
    res.redirect(303, location);
  });

  router.all('/oauth/authorize/submit', () => {
    throw new PageError('method_not_allowed');
  });

  return router;
}
