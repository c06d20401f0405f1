/**
 * B2B member sessions: `sessions.authenticate` (token or JWT; an expired JWT of a live session is refreshed),
 * `sessions.revoke` (one session, or all of a member's), `sessions.get`.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth, sha256Hex } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { requireMember, requireOrganization } from '../../identity/lookup.ts';
import { collections } from '../../identity/model.ts';
import { verifySessionJwt } from '../../identity/session-jwt.ts';
import {
  exactlyOneCredential,
  findMemberSession,
  listMemberSessions,
  mergeCustomClaims,
  revokeMemberSessions,
  touchMemberSession,
} from '../../identity/sessions.ts';
import { durationMinutes, notEmulated, parseBody } from '../../identity/validate.ts';

const authenticateSchema = z.object({
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
  session_duration_minutes: durationMinutes,
  session_custom_claims: z.record(z.string(), z.unknown()).optional(),
  authorization_check: z.unknown().optional(),
});

const revokeSchema = z.object({
  member_session_id: z.string().optional(),
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
  member_id: z.string().optional(),
});

export default function b2bSessionRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  router.post('/v1/b2b/sessions/authenticate', auth, async (req, res) => {
    const body = parseBody(authenticateSchema, req.body);
    if (body.authorization_check !== undefined) throw notEmulated('sessions.authenticate with authorization_check');
    exactlyOneCredential(body);
    const found = await findMemberSession(ctx, body, { allowExpiredJwt: true });
    const organization = requireOrganization(ctx, found.record.member_session.organization_id).organization;
    const member = requireMember(ctx, organization.organization_id, found.record.member_session.member_id).member;
    const issued = await touchMemberSession(ctx, found, body.session_duration_minutes, (s) => mergeCustomClaims(s, body.session_custom_claims));
    send(res, { member_session: issued.session, session_token: issued.session_token, session_jwt: issued.session_jwt, member, organization });
  });

  router.post('/v1/b2b/sessions/revoke', auth, async (req, res) => {
    const body = parseBody(revokeSchema, req.body);
    const given = [body.member_session_id, body.session_token, body.session_jwt, body.member_id].filter(Boolean);
    if (given.length !== 1) {
      throw new StytchApiError(400, 'bad_request', 'Provide exactly one of member_session_id, session_token, session_jwt or member_id.');
    }
    const { members, memberSessions } = collections(ctx);
    if (body.member_id) {
      if (!members.get(body.member_id)) throw new StytchApiError(404, 'member_not_found', 'Member could not be found.');
      revokeMemberSessions(ctx, (s) => s.member_id === body.member_id);
      send(res, {});
      return;
    }
    let sessionId: string | undefined;
    if (body.member_session_id) sessionId = memberSessions.get(body.member_session_id)?.member_session.member_session_id;
    else if (body.session_token) sessionId = memberSessions.findByLookup(sha256Hex(body.session_token))?.member_session.member_session_id;
    else if (body.session_jwt) sessionId = (await verifySessionJwt(ctx, body.session_jwt, { allowExpired: true })).sessionId;
    if (!sessionId || !memberSessions.delete(sessionId)) throw new StytchApiError(404, 'session_not_found', 'Session could not be found.');
    send(res, {});
  });

  router.get('/v1/b2b/sessions', auth, (req, res) => {
    const organizationId = typeof req.query.organization_id === 'string' ? req.query.organization_id : '';
    const memberId = typeof req.query.member_id === 'string' ? req.query.member_id : '';
    requireMember(ctx, requireOrganization(ctx, organizationId).organization.organization_id, memberId);
    send(res, { member_sessions: listMemberSessions(ctx, organizationId, memberId) });
  });

  return router;
}
