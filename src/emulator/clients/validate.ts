/**
 * Request validation for the Basic-auth API routes of the OAuth half: a zod schema, and Stytch's 400 with a
 * message that names each bad field. UNCONFIRMED error_type: `bad_request` is Stytch's generic one.
 */
import type { z } from 'zod';
import { StytchApiError } from '../errors.ts';

export function parseOrBadRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new StytchApiError('bad_request', `The request is invalid: ${problems.join('; ')}.`);
}
