/** `GET /login?profile=`: discovery (first time), then the authorization request, then off to the provider. */
import type { RequestHandler } from 'express';
import type * as oidc from 'openid-client';
import { saveSession } from '../../../../src/shared/session.ts';
import { type AppContext, profileOf } from '../../context.ts';
import { buildAuthorizationRequest } from '../../flow/authorize.ts';
import { addPendingLogin } from '../../flow/pending.ts';
import { errorStep, traceSteps } from '../../inspector/timeline.ts';
import { classify, FlowFailure } from '../../errors.ts';
import { traced } from '../../inspector/trace.ts';

export function login(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const profile = profileOf(ctx, req.query.profile);
    const discovered = await traced(() => ctx.issuers.get(profile));
    if (discovered.error) {
      // Show the failed discovery request itself: connection refused, a 404, an issuer mismatch.
      const steps = traceSteps(discovered.trace, {});
      const failure = await classify(discovered.error);
      throw new FlowFailure(failure, [...steps, errorStep(failure, 'Discovery failed')], { cause: discovered.error });
    }
    const { url, pending } = await buildAuthorizationRequest(discovered.result as oidc.Configuration, profile);
    pending.steps.unshift(...traceSteps(discovered.trace, {}));
    // Its steps wait in the session with it; the inspector shows them from there (inspector/timeline-store.ts).
    addPendingLogin(req.session, pending);
    await saveSession(req);
    req.log.info({ profile: profile.id }, 'login started');
    res.redirect(303, url.href);
  };
}
