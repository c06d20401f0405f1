/** The read-only pages: home, account, flow inspector, health. */
import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.ts';
import { RpError } from '../../errors.ts';
import { csrfToken } from '../csrf.ts';
import { accountPage, displayName } from '../views/account.ts';
import { homePage, type HomeModel } from '../views/home.ts';
import { inspectorPage } from '../views/inspector.ts';

const SIGNED_OUT = new Set(['revoked', 'partial', 'failed', 'unsupported', 'done']);

export function home(ctx: AppContext): RequestHandler {
  return (req, res) => {
    const auth = req.session.auth;
    const signedOut =
      typeof req.query.signed_out === 'string' && SIGNED_OUT.has(req.query.signed_out) ? (req.query.signed_out as HomeModel['signedOut']) : undefined;
    res.type('html').send(
      homePage({
        profiles: [...ctx.profiles.values()].map((profile) => ({ profile, status: ctx.issuers.status(profile.id) })),
        signedIn: auth ? { name: displayName(auth), profileLabel: ctx.profiles.get(auth.profileId)?.label ?? auth.profileId } : undefined,
        signedOut,
      }),
    );
  };
}

export function account(ctx: AppContext): RequestHandler {
  return (req, res) => {
    const auth = req.session.auth;
    if (!auth) throw new RpError('ERR_NOT_SIGNED_IN', 'the account page needs a signed-in session');
    res.type('html').send(accountPage({ auth, profile: ctx.profiles.get(auth.profileId), csrf: csrfToken(req) }));
  };
}

export function inspector(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const flow = await ctx.timelines.current(req);
    res
      .type('html')
      .send(inspectorPage({ flow, profile: flow?.profileId ? ctx.profiles.get(flow.profileId) : undefined, signedIn: Boolean(req.session.auth) }));
  };
}

export function healthz(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    res.json({
      status: 'ok',
      profiles: [...ctx.profiles.values()].map((p) => ({ id: p.id, issuer: p.issuer, discovery: ctx.issuers.status(p.id) })),
    });
  };
}
