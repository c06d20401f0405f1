/**
 * Consumer users: `users.create`, `users.get`, `users.delete` (Basic auth).
 */
import { Router } from 'express';
import { z } from 'zod';
import { requireProjectAuth } from '../../basic-auth.ts';
import type { EmulatorContext } from '../../context.ts';
import { send } from '../../errors.ts';
import { createUser, deleteUser, getUser } from '../../identity/users.ts';
import { email, metadata, parseBody, phoneNumber, usersName } from '../../identity/validate.ts';

const createSchema = z.object({
  email: email.optional(),
  name: usersName.optional(),
  phone_number: phoneNumber.optional(),
  create_user_as_pending: z.boolean().optional(),
  trusted_metadata: metadata.optional(),
  untrusted_metadata: metadata.optional(),
  external_id: z.string().max(128).optional(),
  roles: z.array(z.string().min(1)).optional(),
  attributes: z.object({ ip_address: z.string().optional(), user_agent: z.string().optional() }).optional(),
});

export default function userRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const auth = requireProjectAuth(ctx);

  router.post('/v1/users', auth, (req, res) => {
    const body = parseBody(createSchema, req.body);
    const { user } = createUser(ctx, {
      email: body.email,
      phone_number: body.phone_number,
      name: body.name,
      pending: body.create_user_as_pending ?? false,
      trusted_metadata: body.trusted_metadata,
      untrusted_metadata: body.untrusted_metadata,
      external_id: body.external_id,
      roles: body.roles,
    });
    send(res, {
      user_id: user.user_id,
      email_id: user.emails[0]?.email_id ?? '',
      phone_id: user.phone_numbers[0]?.phone_id ?? '',
      status: user.status,
      user,
    });
  });

  // The User object's fields at the top level of the response, as the SDK's UsersGetResponse has them.
  router.get('/v1/users/:user_id', auth, (req, res) => send(res, { ...getUser(ctx, String(req.params.user_id)) }));

  router.delete('/v1/users/:user_id', auth, (req, res) => {
    deleteUser(ctx, String(req.params.user_id));
    send(res, { user_id: req.params.user_id });
  });

  return router;
}
