/**
 * `POST /logout` (RP-12): the session ends first, whatever the provider does; then the tokens are revoked;
 * then, if the provider supports it, the browser goes on to its end-session endpoint (RP-initiated logout).
 */
import type { RequestHandler } from 'express';
import { destroySession } from '../../../../src/shared/session.ts';
import { type AppContext, profileOf } from '../../context.ts';
import { classify } from '../../errors.ts';
import { endSessionUrl, revokeTokens, type RevocationResult } from '../../flow/logout.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.ts';

function summary(results: RevocationResult[]): 'revoked' | 'partial' | 'failed' | 'unsupported' | 'done' {
  if (results.length === 0) return 'done';
  if (results.every((r) => r.outcome === 'revoked')) return 'revoked';
  if (results.every((r) => r.outcome === 'unsupported')) return 'unsupported';
  if (results.some((r) => r.outcome === 'revoked')) return 'partial';
  return 'failed';
}

export function logout(ctx: AppContext, allowedFormActionOrigins: ReadonlySet<string>): RequestHandler {
  return async (req, res) => {
    const auth = req.session.auth;
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(ctx.publicUrl));
    if (!auth) {
      res.redirect(303, '/?signed_out=done');
      return;
    }

    const profile = profileOf(ctx, auth.profileId);
    let results: RevocationResult[];
    let endSession: URL | undefined;
    try {
      const config = await ctx.issuers.get(profile);
      results = await revokeTokens(config, auth.tokens);
      endSession = endSessionUrl(config, profile, auth.tokens.idToken);
    } catch (err) {
      results = [{ token: 'refresh_token', outcome: 'failed', error: err }];
    }
    for (const r of results) {
      if (r.outcome === 'failed') req.log.warn({ token: r.token, failure: (await classify(r.error)).key }, 'token revocation failed');
    }
    req.log.info({ profile: profile.id, revocation: results.map((r) => `${r.token}:${r.outcome}`) }, 'signed out');

    // The CSP's form-action must allow the redirect target, or browsers block the navigation after the POST.
    if (endSession && allowedFormActionOrigins.has(endSession.origin)) {
      res.redirect(303, endSession.href);
      return;
    }
    if (endSession) req.log.warn({ endSession: endSession.origin }, 'end_session_endpoint is on another origin than the issuer; skipping RP-initiated logout');
    res.redirect(303, `/?signed_out=${summary(results)}`);
  };
}
