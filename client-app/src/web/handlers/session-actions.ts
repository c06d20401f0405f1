/** `POST /refresh` and `POST /userinfo`: actions on the signed-in session, each recorded in the timeline. */
import type { Request, RequestHandler } from 'express';
import type * as oidc from 'openid-client';
import { destroySession, saveSession } from '../../../../src/shared/session.ts';
import { type AppContext, profileOf } from '../../context.ts';
import { classify, FlowFailure, RpError, type Failure } from '../../errors.ts';
import { concernsIdToken, endpointsOf, jwksKids, lastIdToken } from '../../flow/callback.ts';
import { revokeTokens } from '../../flow/logout.ts';
import { refreshTokens } from '../../flow/refresh.ts';
import { fetchUserInfo } from '../../flow/userinfo.ts';
import { reportIdToken } from '../../inspector/id-token-report.ts';
import { errorStep, noteStep, traceSteps } from '../../inspector/timeline.ts';
import { traced } from '../../inspector/trace.ts';
import { serverMetadataOf } from '../../oidc/issuers.ts';
import type { SignedIn } from '../../session-data.ts';
import { SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.ts';

function requireAuth(req: Request): SignedIn {
  const auth = req.session.auth;
  if (!auth) throw new RpError('ERR_NOT_SIGNED_IN', 'this action needs a signed-in session');
  return auth;
}

/** Refresh failures after which the session cannot be used (the grant is gone) or trusted (RP-7): it ends. */
function endsSession(failure: Failure): boolean {
  return failure.key === 'invalid_grant' || concernsIdToken(failure);
}

export function refresh(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    await ctx.withSessionLock(req, async () => {
      const auth = requireAuth(req);
      const profile = profileOf(ctx, auth.profileId);
      const config = (await ctx.issuers.get(profile)) as oidc.Configuration;
      const endpoints = endpointsOf(config);
      const result = await traced(() => refreshTokens(config, auth));
      const steps = traceSteps(result.trace, endpoints);
      const rawIdToken = lastIdToken(result.trace);
      const reportContext = { issuer: serverMetadataOf(config).issuer, clientId: profile.clientId, original: auth.original, jwksKids: jwksKids(result.trace) };

      if (result.error) {
        const failure = await classify(result.error);
        if (rawIdToken && concernsIdToken(failure)) {
          steps.push({
            kind: 'id_token',
            at: Date.now(),
            title: 'Refreshed ID token rejected',
            status: 'failed',
            report: reportIdToken(rawIdToken, reportContext, failure),
          });
        }
        steps.push(errorStep(failure, 'Refresh failed'));
        if (endsSession(failure)) {
          // The grant is gone or the provider's answer cannot be trusted: hand back what we hold and sign out.
          const revocation = await traced(() => revokeTokens(config, auth.tokens));
          steps.push(
            ...traceSteps(revocation.trace, endpoints),
            noteStep('Signed out', 'The session was destroyed because the refresh failed in a way that makes its tokens unusable or untrustworthy.', 'info'),
          );
          await destroySession(req);
          res.clearCookie(SESSION_COOKIE, sessionCookieOptions(ctx.publicUrl));
        } else {
          await ctx.timelines.append(req, steps);
          await saveSession(req);
        }
        throw new FlowFailure(failure, steps, { cause: result.error });
      }

      const { tokens, idClaims } = result.result as Awaited<ReturnType<typeof refreshTokens>>;
      if (rawIdToken) {
        steps.push({
          kind: 'id_token',
          at: Date.now(),
          title: 'Refreshed ID token validated',
          status: 'ok',
          report: reportIdToken(rawIdToken, { ...reportContext, accessToken: tokens.accessToken }),
        });
      }
      const rotated = tokens.refreshToken !== auth.tokens.refreshToken;
      steps.push(
        noteStep(
          'Tokens refreshed',
          rotated
            ? 'The provider rotated the refresh token; the new one replaced the old one in the session.'
            : 'The refresh token was not rotated (usual for confidential clients); the session keeps it.',
          'ok',
        ),
      );
      auth.tokens = tokens;
      auth.idClaims = idClaims;
      auth.refreshedAt = Date.now();
      await ctx.timelines.append(req, steps);
      await saveSession(req);
      req.log.info({ profile: profile.id, rotated }, 'tokens refreshed');
    });
    res.redirect(303, '/account');
  };
}

export function userinfo(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const auth = requireAuth(req);
    const profile = profileOf(ctx, auth.profileId);
    const config = (await ctx.issuers.get(profile)) as oidc.Configuration;
    const result = await traced(() => fetchUserInfo(config, auth.tokens.accessToken, auth.original.sub));
    const steps = traceSteps(result.trace, endpointsOf(config));
    if (result.error) {
      const failure = await classify(result.error);
      steps.push(errorStep(failure, 'UserInfo failed'));
      await ctx.timelines.append(req, steps);
      await saveSession(req);
      throw new FlowFailure(failure, steps, { cause: result.error });
    }
    if (result.result) steps.push({ kind: 'claims', at: Date.now(), title: 'UserInfo (same sub as the ID token)', status: 'ok', claims: result.result });
    auth.userinfo = result.result;
    await ctx.timelines.append(req, steps);
    await saveSession(req);
    res.redirect(303, '/account');
  };
}
