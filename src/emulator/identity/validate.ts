/**
 * Request-body validation for the identity routes: one zod schema per endpoint, mapped to Stytch's 400.
 * Field-specific types (`invalid_email`, `invalid_phone_number`) are Stytch's; the generic `bad_request`
 * for other malformed fields is UNCONFIRMED.
 */
import { z } from 'zod';
import { StytchApiError } from '../errors.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164, as Stytch requires phone numbers. */
const E164 = /^\+[1-9]\d{6,14}$/;

export const email = z.string().max(320).regex(EMAIL, { error: 'invalid_email' });
export const phoneNumber = z.string().regex(E164, { error: 'invalid_phone_number' });
export const metadata = z.record(z.string(), z.unknown());
export const usersName = z.object({
  first_name: z.string().max(256).optional(),
  middle_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
});
/** Present for SDK calls that may send it; the emulator validates it where it is used. */
export const durationMinutes = z.number().optional();

/** Parses `body` with `schema`, or throws Stytch's 400 naming the first bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  if (issue.message === 'invalid_email') throw new StytchApiError(400, 'invalid_email', `${field}: the email address is not valid.`);
  if (issue.message === 'invalid_phone_number')
    throw new StytchApiError(400, 'invalid_phone_number', `${field}: the phone number must be in E.164 format, e.g. +14155550100.`);
  throw new StytchApiError(400, 'bad_request', `${field}: ${issue.message}`);
}

/** A request the emulator understands but does not implement: said plainly rather than answered wrongly. */
export function notEmulated(what: string): StytchApiError {
  return new StytchApiError(400, 'not_supported_by_emulator', `${what} is not emulated.`);
}
