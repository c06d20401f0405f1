/**
 * Consumer sessions: `sessions.authenticate` (opaque token or JWT; a JWT past its 5-minute `exp` is accepted
 * while the session lives, and a fresh one returned), `sessions.revoke`, `sessions.get`, and the session
 * JWKS, which is public (the SDK's JWT check fetches it without credentials).
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth, sha256Hex } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { requireUser } from '../../identity/lookup.ts';
import { collections } from '../../identity/model.ts';
import { verifySessionJwt } from '../../identity/session-jwt.ts';
import { exactlyOneCredential, findUserSession, listUserSessions, mergeCustomClaims, touchUserSession } from '../../identity/sessions.ts';
import { durationMinutes, notEmulated, parseBody } from '../../identity/validate.ts';

const authenticateSchema = z.object({
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
  session_duration_minutes: durationMinutes,
  session_custom_claims: z.record(z.string(), z.unknown()).optional(),
  authorization_check: z.unknown().optional(),
});

const revokeSchema = z.object({
  session_id: z.string().optional(),
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
});

export default function sessionRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  router.post('/v1/sessions/authenticate', auth, async (req, res) => {
    const body = parseBody(authenticateSchema, req.body);
    if (body.authorization_check !== undefined) throw notEmulated('sessions.authenticate with authorization_check');
    exactlyOneCredential(body);
    const found = await findUserSession(ctx, body, { allowExpiredJwt: true });
    const user = requireUser(ctx, found.record.session.user_id).user;
    const issued = await touchUserSession(ctx, found, body.session_duration_minutes, (s) => mergeCustomClaims(s, body.session_custom_claims));
    send(res, { session: issued.session, session_token: issued.session_token, session_jwt: issued.session_jwt, user });
  });

  router.post('/v1/sessions/revoke', auth, async (req, res) => {
    const body = parseBody(revokeSchema, req.body);
    const given = [body.session_id, body.session_token, body.session_jwt].filter(Boolean);
    if (given.length === 0) throw new StytchApiError('no_session_revoke_arguments', 'Provide one of session_id, session_token or session_jwt.');
    if (given.length > 1) throw new StytchApiError('too_many_session_revoke_arguments', 'Provide only one of session_id, session_token or session_jwt.');
    const { sessions } = collections(ctx);
    let sessionId: string | undefined;
    if (body.session_id) sessionId = sessions.get(body.session_id)?.session.session_id;
    else if (body.session_token) sessionId = sessions.findByLookup(sha256Hex(body.session_token))?.session.session_id;
    // An expired JWT still names its session: revoking it must work.
    else if (body.session_jwt) sessionId = (await verifySessionJwt(ctx, body.session_jwt, { allowExpired: true })).sessionId;
    if (!sessionId || !sessions.delete(sessionId)) throw new StytchApiError('session_not_found', 'Session could not be found.');
    send(res, {});
  });

  router.get('/v1/sessions', auth, (req, res) => {
    const userId = typeof req.query.user_id === 'string' ? req.query.user_id : '';
    requireUser(ctx, userId);
    send(res, { sessions: listUserSessions(ctx, userId) });
  });

  return router;
}
