/**
 * Where the flow inspector's timeline is kept: beside the session, not in it. After a sign-in the timeline is
 * ~8 KB, most of what the session would hold, and express-session serialises and hashes the whole session record
 * on every request and writes it whole; here it is a SessionAttachment of the session store (the same SQLite
 * file or Redis), written once per flow by the callback (signed in, or failed) and then by the requests that add
 * steps (refresh, UserInfo), and read only by the inspector. It survives a restart and expires like the session,
 * and goes with it: logout destroys it, and so does the id regenerated at sign-in (the callback writes the
 * finished timeline under the new id).
 *
 * A login in progress is not written here: its steps already wait in the session with its state, nonce and
 * verifier (session-data.ts, PendingLogin), and the callback takes them from there. The inspector shows the
 * newest of the two: the newest login in progress, or the stored timeline when it was written after that login
 * started (e.g. another tab's login failed meanwhile).
 */
import type { Request } from 'express';
import type { SessionAttachment } from '../../../src/shared/session.ts';
import type { PendingLogin } from '../session-data.ts';
import { noteStep, type Step } from './timeline.ts';

/** The timeline the flow inspector shows: the current login, or the last failed attempt, and what followed. */
export interface Flow {
  /** Unknown when a callback matched no login of this session. */
  profileId?: string | undefined;
  startedAt: number;
  outcome: 'in_progress' | 'signed_in' | 'failed';
  steps: Step[];
  /** Steps dropped to keep the timeline bounded (see MAX_TIMELINE_STEPS). */
  dropped?: number | undefined;
  /** Epoch milliseconds of the last write (absent in timelines stored before it was recorded). */
  updatedAt?: number | undefined;
}

/** A login in progress, as the inspector shows it. */
function inProgress(pending: PendingLogin): Flow {
  return { profileId: pending.profileId, startedAt: pending.createdAt, outcome: 'in_progress', steps: pending.steps };
}

/** When a stored timeline was last written: older ones have no `updatedAt`, but their last step was just added. */
function updatedAt(flow: Flow): number {
  return flow.updatedAt ?? flow.steps.at(-1)?.at ?? flow.startedAt;
}

/**
 * A timeline keeps at most this many steps: the first half (the login) and the newest, with one note between
 * them saying how many were dropped. A login is ~10 steps; each refresh or UserInfo call adds 2 to 4.
 */
export const MAX_TIMELINE_STEPS = 100;
const HEAD = MAX_TIMELINE_STEPS / 2;

function bounded(flow: Flow): Flow {
  if (flow.steps.length <= MAX_TIMELINE_STEPS) return flow;
  // With steps already dropped, the note sits at HEAD: it is replaced, not kept as a step.
  const head = flow.steps.slice(0, HEAD);
  const rest = flow.steps.slice(flow.dropped ? HEAD + 1 : HEAD);
  const tail = rest.slice(-(MAX_TIMELINE_STEPS - HEAD - 1));
  const dropped = (flow.dropped ?? 0) + rest.length - tail.length;
  const note = noteStep(
    'Earlier steps not kept',
    `${dropped} steps between the login and the ones below were dropped: the timeline keeps ${MAX_TIMELINE_STEPS} steps.`,
  );
  note.at = tail[0]?.at ?? note.at;
  return { ...flow, steps: [...head, note, ...tail], dropped };
}

export class TimelineStore {
  constructor(
    private readonly attachment: SessionAttachment,
    /** Lifetime of a timeline whose session has no cookie expiry (the session's configured max age). */
    private readonly defaultTtlMs: number,
  ) {}

  /** The stored timeline of the session (a finished login and what followed), if any. */
  async get(req: Request): Promise<Flow | undefined> {
    const json = await this.attachment.get(req.sessionID);
    return json === undefined ? undefined : (JSON.parse(json) as Flow);
  }

  /** What the inspector shows: the newest login in progress, or the stored timeline if it was written since. */
  async current(req: Request): Promise<Flow | undefined> {
    const stored = await this.get(req);
    const newest = Object.values(req.session.pending ?? {}).reduce<PendingLogin | undefined>((a, b) => (a && a.createdAt >= b.createdAt ? a : b), undefined);
    if (!newest) return stored;
    return stored && updatedAt(stored) > newest.createdAt ? stored : inProgress(newest);
  }

  /** Replaces the session's timeline; it expires with the session's cookie. */
  async put(req: Request, flow: Flow): Promise<void> {
    const expiresAt = req.session.cookie.expires?.getTime() ?? Date.now() + this.defaultTtlMs;
    await this.attachment.set(req.sessionID, JSON.stringify({ ...bounded(flow), updatedAt: Date.now() }), expiresAt);
  }

  /** Adds steps to the session's timeline, if it has one (a refresh or UserInfo call after the login). */
  async append(req: Request, steps: Step[]): Promise<void> {
    const flow = await this.get(req);
    if (flow) await this.put(req, { ...flow, steps: [...flow.steps, ...steps] });
  }
}
