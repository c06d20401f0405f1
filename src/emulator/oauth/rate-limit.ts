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
  const counters = ctx.store.collection<FailureWindow>(KIND);
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = `${claimedClientId(req) ?? '(none)'} ${req.ip ?? '(unknown ip)'}`;
    const { max, windowSeconds } = ctx.tokenEndpointLimit;
    const window = counters.get(key);
    if (window && window.failures >= max) {
      const retryAfter = Math.max(1, window.started_at + windowSeconds - ctx.now());
      ctx.log.warn({ key, failures: window.failures }, 'token endpoint rate limit reached');
      next(
        new OAuthError(429, 'too_many_requests', `Too many failed token requests; retry after ${retryAfter} seconds.`, { 'Retry-After': String(retryAfter) }),
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
