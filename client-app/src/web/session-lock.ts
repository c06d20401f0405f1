/**
 * Serialises token-changing actions per session. Public clients get a new refresh token on every refresh, and
 * presenting the old one again makes the provider revoke the whole grant (reuse detection), so two refreshes of
 * one session must never overlap (double click, two tabs). Inside the lock the session is re-read from the store,
 * so the second action sees the first one's tokens.
 *
 * The lock is per process: with several instances behind a load balancer, use sticky sessions for /refresh or
 * a distributed lock.
 */
import type { Request } from 'express';

const tails = new Map<string, Promise<unknown>>();

export async function withSessionLock<T>(req: Request, fn: () => Promise<T>): Promise<T> {
  const id = req.sessionID;
  const previous = tails.get(id) ?? Promise.resolve();
  const run = previous.then(async () => {
    await new Promise<void>((resolve, reject) => req.session.reload((err: unknown) => (err ? reject(err) : resolve())));
    return fn();
  });
  const tail = run.catch(() => undefined);
  tails.set(id, tail);
  try {
    return await run;
  } finally {
    if (tails.get(id) === tail) tails.delete(id);
  }
}
