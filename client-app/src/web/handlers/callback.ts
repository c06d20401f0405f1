/** `GET /callback`: runs the callback pipeline; failures reach the error handler with their timeline. */
import type { RequestHandler } from 'express';
import type { AppContext } from '../../context.ts';
import { completeLogin } from '../../flow/callback.ts';

export function callback(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    await completeLogin(ctx, req);
    res.redirect(303, '/account');
  };
}
