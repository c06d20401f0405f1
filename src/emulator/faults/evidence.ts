/**
 * The emulator's record of what happened, for tools that must prove a verdict (`npx connected-app conformance`):
 * every fault injection (scenario, client, hook, time), every authorization request as the relying party sent
 * it, and every answer of the OAuth endpoints (client, status, OAuth error). Read through
 * `GET /emulator/events?since=<seq>` (routes/admin.ts).
 *
 * In memory and bounded (about the newest `CAPACITY` events): it is evidence for a run in progress, not data to keep
 * across restarts. Never holds a secret, a code or a token: only whether a parameter was sent.
 */
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from '../context.ts';

interface Base {
  /** Increasing from 1; `since` in the admin route. */
  seq: number;
  /** Epoch milliseconds. */
  at: number;
}

export type EvidenceEvent = Base &
  (
    | { kind: 'injection'; client_id: string; scenario: string; hook: string }
    | {
        kind: 'authorization_request';
        client_id: string;
        /** `start`: the Authorization URL read the request; `submit`: it asked for a code. */
        step: 'start' | 'submit';
        redirect_uri: string | undefined;
        /** Whether the client's registered redirect URLs contain it byte for byte. */
        redirect_uri_registered: boolean;
        state_sent: boolean;
        nonce_sent: boolean;
        code_challenge_sent: boolean;
      }
    | { kind: 'response'; endpoint: string; client_id: string | undefined; status: number; error: string | undefined; grant_type: string | undefined }
  );

type NewEvent = EvidenceEvent extends infer E ? (E extends EvidenceEvent ? Omit<E, 'seq' | 'at'> : never) : never;

const CAPACITY = 5000;

interface Log {
  events: EvidenceEvent[];
  next: number;
  /** When the JWKS was last served (epoch seconds), to anyone and per client it is attributed to. */
  jwksServedAt: number | undefined;
  /** The last fetch that could not be attributed, which counts for every client. */
  jwksServedToEveryoneAt: number | undefined;
  jwksServedAtByClient: Map<string, number>;
}

const LOGS = new WeakMap<EmulatorContext, Log>();

function log(ctx: EmulatorContext): Log {
  let l = LOGS.get(ctx);
  if (!l) {
    l = { events: [], next: 1, jwksServedAt: undefined, jwksServedToEveryoneAt: undefined, jwksServedAtByClient: new Map() };
    LOGS.set(ctx, l);
  }
  return l;
}

export function recordEvent(ctx: EmulatorContext, event: NewEvent): void {
  const l = log(ctx);
  l.events.push({ ...event, seq: l.next++, at: Date.now() } as EvidenceEvent);
  // Trimmed in batches, so that a busy emulator (the benchmark) does not shift the array at every request.
  if (l.events.length > CAPACITY * 1.25) l.events.splice(0, l.events.length - CAPACITY);
}

/** Events after `since` (a seq), oldest first; `next` is the seq to ask from next time. */
export function eventsSince(ctx: EmulatorContext, since: number): { events: EvidenceEvent[]; next: number } {
  const l = log(ctx);
  return { events: l.events.filter((e) => e.seq > since), next: l.next - 1 };
}

/**
 * A relying party fetches the JWKS right after it receives an ID token it cannot verify from its cache, and the
 * JWKS endpoint does not say who calls it: a fetch is attributed to every client that got tokens in the
 * preceding `ATTRIBUTION_S` seconds, or to every client when none did (e.g. a relying party that fetches at
 * start-up). Over-attributing only makes a run wait longer; it never shortens a wait that was needed.
 */
const ATTRIBUTION_S = 10;

export function recordJwksServed(ctx: EmulatorContext): void {
  const l = log(ctx);
  const now = ctx.now();
  const since = Date.now() - ATTRIBUTION_S * 1000;
  const recent = new Set(
    l.events
      .filter((e) => e.kind === 'response' && e.endpoint === 'token' && e.status === 200 && e.at >= since && e.client_id)
      .map((e) => (e as { client_id: string }).client_id),
  );
  l.jwksServedAt = now;
  if (recent.size === 0) l.jwksServedToEveryoneAt = now;
  for (const id of recent) l.jwksServedAtByClient.set(id, now);
  recordEvent(ctx, { kind: 'response', endpoint: 'jwks', client_id: undefined, status: 200, error: undefined, grant_type: undefined });
}

/** When `clientId` (as far as the emulator can tell) last fetched the JWKS; epoch seconds. */
export function jwksLastServedAt(ctx: EmulatorContext, clientId?: string): number | undefined {
  const l = log(ctx);
  if (clientId === undefined) return l.jwksServedAt;
  const times = [l.jwksServedAtByClient.get(clientId), l.jwksServedToEveryoneAt].filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

/**
 * Express middleware recording each answer of an endpoint: its status and, for an error, its OAuth `error` (or
 * Stytch `error_type`), which errors.ts's `errorHandler`, the one writer of error bodies, notes in
 * `res.locals.errorCode`. The client is `res.locals.evidenceClientId` when the route knows it (UserInfo: from the
 * token), else the one the request claims.
 */
export function recordResponses(ctx: EmulatorContext, endpoint: (req: Request) => string, claimed: (req: Request) => string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Now, while the path is relative to the router: Express restores the full one before `finish`.
    const name = endpoint(req);
    res.on('finish', () => {
      const clientId = (res.locals.evidenceClientId as string | undefined) ?? claimed(req);
      const grantType =
        typeof (req.body as Record<string, unknown> | undefined)?.grant_type === 'string' ? (req.body as Record<string, string>).grant_type : undefined;
      recordEvent(ctx, {
        kind: 'response',
        endpoint: name,
        client_id: clientId,
        status: res.statusCode,
        error: res.statusCode >= 400 ? (res.locals.errorCode as string | undefined) : undefined,
        grant_type: grantType,
      });
    });
    next();
  };
}
