/**
 * The flow inspector's timeline store: kept beside the session under its id, bounded. (That it survives a
 * restart and goes with the session at logout, with SQLite and Redis: test/scale/restart.test.ts; the
 * attachments under it: src/shared/test/session.test.ts.)
 */
import type { Request } from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../../src/shared/session.ts';
import { MAX_TIMELINE_STEPS, TimelineStore } from '../src/inspector/timeline-store.ts';
import { noteStep, type Step } from '../src/inspector/timeline.ts';
import type { PendingLogin } from '../src/session-data.ts';

const sessions = new SqliteSessionStore(':memory:');
afterAll(() => sessions.close());
const timelines = new TimelineStore(sessions.attachment('timeline'), 60_000);
const requestOf = (sid: string, pending: PendingLogin[] = []) =>
  ({
    sessionID: sid,
    session: { cookie: { expires: new Date(Date.now() + 60_000) }, pending: Object.fromEntries(pending.map((p) => [p.state, p])) },
  }) as unknown as Request;
const login = (state: string, createdAt: number): PendingLogin => ({
  profileId: 'p',
  state,
  nonce: 'n',
  codeVerifier: 'v',
  createdAt,
  steps: [{ ...noteStep(`authorization request ${state}`, ''), at: createdAt }],
});
const steps = (from: number, n: number): Step[] => Array.from({ length: n }, (_, i) => noteStep(`step ${from + i}`, ''));
const titles = (list: Step[] | undefined) => list?.map((s) => s.title) ?? [];

describe('timeline store', () => {
  it('keeps each session its own timeline, and adds to it only when there is one', async () => {
    const a = requestOf('sid-a');
    await timelines.put(a, { startedAt: 1, outcome: 'signed_in', steps: steps(0, 3) });
    await timelines.append(a, steps(3, 1));
    await timelines.append(requestOf('sid-b'), steps(0, 1));
    expect(titles((await timelines.get(a))?.steps)).toEqual(['step 0', 'step 1', 'step 2', 'step 3']);
    expect(await timelines.get(requestOf('sid-b'))).toBeUndefined();
  });

  it(`is bounded: the login's steps, a note of how many were dropped, and the newest`, async () => {
    const req = requestOf('sid-long');
    await timelines.put(req, { startedAt: 1, outcome: 'signed_in', steps: steps(0, 10) });
    for (let i = 10; i < 200; i += 3) await timelines.append(req, steps(i, 3));
    const flow = await timelines.get(req);
    const shown = titles(flow?.steps);
    expect(shown).toHaveLength(MAX_TIMELINE_STEPS);
    expect(shown.slice(0, 10)).toEqual(titles(steps(0, 10)));
    expect(shown.at(-1)).toBe('step 201');
    // Every step is either kept or counted, once.
    const kept = shown.filter((t) => t.startsWith('step ')).length;
    expect(flow?.dropped).toBe(202 - kept);
    expect(shown.filter((t) => t === 'Earlier steps not kept')).toHaveLength(1);
    expect(flow?.steps.find((s) => s.title === 'Earlier steps not kept')).toMatchObject({
      kind: 'note',
      text: expect.stringContaining(`${flow?.dropped} steps`),
    });
  });

  // The login's steps are not written at /login: they wait in the session with the pending login.
  const shown: Array<[string, PendingLogin[], boolean, string[], string | undefined]> = [
    ['nothing yet', [], false, [], undefined],
    ['a login in progress, nothing stored', [login('a', 1_000)], false, ['authorization request a'], 'in_progress'],
    ['the newest of two logins in progress (tabs)', [login('b', 3_000), login('a', 1_000)], false, ['authorization request b'], 'in_progress'],
    ['a login started after the stored timeline was written', [login('c', Date.now() + 60_000)], true, ['authorization request c'], 'in_progress'],
    ['the stored timeline, written after the login in progress started (another tab failed)', [login('a', 1_000)], true, ['stored'], 'failed'],
  ];
  it.each(shown)('the inspector shows %s', async (_label, pending, stored, expected, outcome) => {
    const req = requestOf(`sid-current-${_label}`, pending);
    if (stored) await timelines.put(req, { startedAt: 500, outcome: 'failed', steps: [noteStep('stored', '')] });
    const flow = await timelines.current(req);
    expect(titles(flow?.steps)).toEqual(expected);
    expect(flow?.outcome).toBe(outcome);
  });
});
