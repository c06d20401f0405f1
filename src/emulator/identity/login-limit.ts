/**
 * Per-account limit on failed password logins (AS-15, cat. AS-40): only failures
 * count, so people who log in successfully and the throughput benchmark are never throttled. Once an account
 * reaches the limit, every attempt (right password included) gets 429 `too_many_requests` with `Retry-After`
 * until the window ends, otherwise guessing would simply continue. Counters live in the store, so a restart
 * does not reset them.
 */
import type { EmulatorContext } from '../context.ts';
import { StytchApiError } from '../errors.ts';

interface FailureWindow {
  started_at: number;
  failures: number;
}

const KIND = 'password_login_failures';

/** Throws 429 if `account` (e.g. `consumer ada@example.com`) has used up its failures in the current window. */
export function assertLoginAllowed(ctx: EmulatorContext, account: string): void {
  const window = ctx.store.collection<FailureWindow>(KIND).get(account);
  const { max, windowSeconds } = ctx.passwordLoginLimit;
  if (window && window.failures >= max) {
    const retryAfter = Math.max(1, window.started_at + windowSeconds - ctx.now());
    throw new StytchApiError('too_many_requests', 'Too many requests have been made.', {
      details: { retry_after_seconds: retryAfter },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

export function recordLoginFailure(ctx: EmulatorContext, account: string): void {
  const failures = ctx.store.collection<FailureWindow>(KIND);
  const now = ctx.now();
  const { windowSeconds } = ctx.passwordLoginLimit;
  const current = failures.get(account);
  if (current) failures.update(account, (w) => ({ ...w, failures: w.failures + 1 }));
  else failures.put(account, { started_at: now, failures: 1 }, { expiresAt: now + windowSeconds });
}

/** A successful login clears the account's failures. */
export function clearLoginFailures(ctx: EmulatorContext, account: string): void {
  ctx.store.collection<FailureWindow>(KIND).delete(account);
}
