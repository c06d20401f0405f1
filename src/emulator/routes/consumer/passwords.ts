/**
 * Consumer passwords: `passwords.create` (a new user with a password), `passwords.migrate` (a new user with an
 * imported hash: scrypt or pbkdf_2, see identity/passwords.ts) and `passwords.authenticate`.
 * As Stytch does, a session is created only when `session_duration_minutes` is given; otherwise
 * `session_token` and `session_jwt` are "" and `session` is absent.
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { StytchApiError, send } from '../../errors.ts';
import { passwordFactor, type Session, type User } from '../../identity/model.ts';
import { strengthCheck } from '../../identity/password-strength.ts';
import { checkPasswordStrength, hashPassword, importHash } from '../../identity/passwords.ts';
import { createSession, exactlyOneCredential, findUserSession, touchUserSession, withFactor, type IssuedSession } from '../../identity/sessions.ts';
import { authenticatePassword, createUser, findUserByEmail } from '../../identity/users.ts';
import { durationMinutes, email, metadata, notEmulated, parseBody, usersName } from '../../identity/validate.ts';

const strengthCheckSchema = z.object({ password: z.string().min(1), email: z.string().optional() });

const createSchema = z.object({
  email,
  password: z.string(),
  session_duration_minutes: durationMinutes,
  session_custom_claims: metadata.optional(),
  trusted_metadata: metadata.optional(),
  untrusted_metadata: metadata.optional(),
  name: usersName.optional(),
  telemetry_id: z.string().optional(),
});

const migrateSchema = z.object({
  email,
  hash: z.string().min(1),
  hash_type: z.string().min(1),
  scrypt_config: z.record(z.string(), z.unknown()).optional(),
  pbkdf_2_config: z.record(z.string(), z.unknown()).optional(),
  md_5_config: z.unknown().optional(),
  argon_2_config: z.unknown().optional(),
  sha_1_config: z.unknown().optional(),
  sha_512_config: z.unknown().optional(),
  trusted_metadata: metadata.optional(),
  untrusted_metadata: metadata.optional(),
  set_email_verified: z.boolean().optional(),
  name: usersName.optional(),
});

const authenticateSchema = z.object({
  email,
  password: z.string(),
  session_duration_minutes: durationMinutes,
  session_custom_claims: metadata.optional(),
  session_token: z.string().optional(),
  session_jwt: z.string().optional(),
  telemetry_id: z.string().optional(),
});

function emailFactor(user: User): { email_id: string; email_address: string } | undefined {
  const e = user.emails[0];
  return e ? { email_id: e.email_id, email_address: e.email } : undefined;
}

function sessionFields(issued: IssuedSession<Session> | undefined) {
  return issued ? { session_token: issued.session_token, session_jwt: issued.session_jwt, session: issued.session } : { session_token: '', session_jwt: '' };
}

export default function passwordRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  router.post('/v1/passwords', auth, async (req, res) => {
    const body = parseBody(createSchema, req.body);
    await checkPasswordStrength(body.password, body.email);
    if (findUserByEmail(ctx, body.email)) throw new StytchApiError('duplicate_email', 'A user with this email already exists for this project.');
    const { user } = createUser(ctx, {
      email: body.email,
      name: body.name,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
      password: await hashPassword(body.password),
    });
    const issued =
      body.session_duration_minutes === undefined
        ? undefined
        : await createSession(ctx, { kind: 'user', user }, body.session_duration_minutes, [passwordFactor(ctx.now(), emailFactor(user))], {
            customClaims: body.session_custom_claims,
          });
    send(res, { user_id: user.user_id, email_id: user.emails[0]?.email_id ?? '', user, ...sessionFields(issued) });
  });

  // passwords.strengthCheck: Stytch's default zxcvbn policy (identity/password-strength.ts).
  router.post('/v1/passwords/strength_check', auth, async (req, res) => {
    const body = parseBody(strengthCheckSchema, req.body);
    send(res, await strengthCheck(body.password, body.email));
  });

  router.post('/v1/passwords/migrate', auth, (req, res) => {
    const body = parseBody(migrateSchema, req.body);
    const password = importHash(body);
    // Stytch also adds a password to an existing user; the emulator only creates new ones.
    if (findUserByEmail(ctx, body.email)) throw notEmulated('passwords.migrate for an existing user');
    const { user } = createUser(ctx, {
      email: body.email,
      email_verified: body.set_email_verified ?? false,
      name: body.name,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
      password,
    });
    send(res, { user_id: user.user_id, email_id: user.emails[0]?.email_id ?? '', user_created: true, user });
  });

  router.post('/v1/passwords/authenticate', auth, async (req, res) => {
    const body = parseBody(authenticateSchema, req.body);
    exactlyOneCredential(body);
    const { user } = await authenticatePassword(ctx, body.email, body.password);
    const factor = passwordFactor(ctx.now(), emailFactor(user));
    let issued: IssuedSession<Session> | undefined;
    if (body.session_token || body.session_jwt) {
      // A login into an existing session adds the factor to it (the session must be this user's).
      const found = await findUserSession(ctx, body, { allowExpiredJwt: true });
      if (found.record.session.user_id !== user.user_id) {
        throw new StytchApiError('user_id_mismatch', 'The session belongs to another user.');
      }
      issued = await touchUserSession(ctx, found, body.session_duration_minutes, (s) => withFactor(s, factor));
    } else if (body.session_duration_minutes !== undefined) {
      issued = await createSession(ctx, { kind: 'user', user }, body.session_duration_minutes, [factor], { customClaims: body.session_custom_claims });
    }
    send(res, { user_id: user.user_id, user, ...sessionFields(issued) });
  });

  return router;
}
