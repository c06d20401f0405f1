/**
 * Token endpoint rate limit (AS-15, cat. AS-40): counts failed token requests
 * (any 4xx) per claimed client_id and IP in a fixed window (`ctx.tokenEndpointLimit`). Successful requests
 * never count, so complete flows and the throughput benchmark are not throttled; a client (or attacker)
 * that keeps failing gets 429 `too_many_requests` with `Retry-After` until the window ends.
 * Counters live in the store with an expiry, like the password-login counters.
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context.ts';
import { OAuthError } from '../errors.ts';
import { claimedClientId } from './client-auth.ts';

interface FailureWindow {
  started_at: number;
  failures: number;
}

const KIND = 'token_endpoint_failures';

export function tokenEndpointRateLimit(ctx: EmulatorContext) {
  // Read at every token request, written only after a failure: the cache remembers that a key has no window, so a
  // client that does not fail costs no read (a window, which expires, is read from the store each time).
  const counters = ctx.store.collection<FailureWindow>(KIND, { cacheById: true });
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = `${claimedClientId(req) ?? '(none)'} ${req.ip ?? '(unknown ip)'}`;
    const { max, windowSeconds } = ctx.tokenEndpointLimit;
    const window = counters.get(key);
    if (window && window.failures >= max) {
      const retryAfter = Math.max(1, window.started_at + windowSeconds - ctx.now());
      ctx.log.warn({ key, failures: window.failures }, 'token endpoint rate limit reached');
      next(
        new OAuthError('too_many_requests', `Too many failed token requests; retry after ${retryAfter} seconds.`, {
          headers: { 'Retry-After': String(retryAfter) },
        }),
      );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode < 400 || res.statusCode === 429 || res.statusCode >= 500) return;
      try {
        const now = ctx.now();
        if (counters.get(key)) counters.update(key, (w) => ({ ...w, failures: w.failures + 1 }));
        else counters.put(key, { started_at: now, failures: 1 }, { expiresAt: now + windowSeconds });
      } catch (err) {
        // The response is already sent (e.g. the emulator is closing): losing one count is harmless.
        ctx.log.debug({ err: String(err) }, 'token endpoint failure not counted');
      }
    });
    next();
  };
}

/**
 * Forgets a client's failed token requests (every IP). The admin route calls it whenever a client's faults are
 * switched on or off: failures a fault provoked on purpose must not throttle the next test of that client.
 */
export function resetTokenEndpointFailures(ctx: EmulatorContext, clientId: string): number {
  return ctx.store.collection<FailureWindow>(KIND).deleteWhere((_w, key) => key.startsWith(`${clientId} `));
}
