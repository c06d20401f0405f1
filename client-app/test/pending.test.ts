/** Pending logins (RP-1): single use, bounded, expiring, and cleared when the callback cannot be trusted. */
import type { Session, SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import { addPendingLogin, PENDING_TTL_MS, takePendingLogin } from '../src/flow/pending.ts';
import type { PendingLogin } from '../src/session-data.ts';

type FakeSession = Session & Partial<SessionData>;
const session = () => ({}) as FakeSession;
const pending = (state: string, createdAt = 1_000_000): PendingLogin => ({
  profileId: 'p',
  state,
  nonce: 'n',
  codeVerifier: 'v'.repeat(64),
  createdAt,
  steps: [],
});
const query = (q: string) => new URLSearchParams(q);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('pending logins', () => {
  it('are found by state and used once', () => {
    const s = session();
    addPendingLogin(s, pending('a'), 1_000_000);
    expect(takePendingLogin(s, query('code=c&state=a'), 1_000_001).state).toBe('a');
    expect(codeOf(() => takePendingLogin(s, query('code=c&state=a'), 1_000_002))).toBe('ERR_NO_PENDING_LOGIN');
  });

  it('two tabs keep two logins; a third party state matches neither and clears both', () => {
    const s = session();
    addPendingLogin(s, pending('tab1'), 1_000_000);
    addPendingLogin(s, pending('tab2'), 1_000_000);
    expect(Object.keys(s.pending ?? {})).toEqual(['tab1', 'tab2']);
    expect(codeOf(() => takePendingLogin(s, query('state=forged'), 1_000_001))).toBe('ERR_STATE_MISMATCH');
    expect(s.pending).toBeUndefined();
  });

  it.each([
    ['no state', 'code=c', 'ERR_STATE_MISSING'],
    ['two states', 'state=a&state=a', 'ERR_STATE_MISMATCH'],
    ['a prototype key as state', 'state=__proto__', 'ERR_STATE_MISMATCH'],
  ])('%s is refused', (_name, q, code) => {
    const s = session();
    addPendingLogin(s, pending('a'), 1_000_000);
    expect(codeOf(() => takePendingLogin(s, query(q), 1_000_001))).toBe(code);
  });

  it('expire after ten minutes, and are removed even then', () => {
    const s = session();
    addPendingLogin(s, pending('a', 1_000_000), 1_000_000);
    expect(codeOf(() => takePendingLogin(s, query('state=a'), 1_000_000 + PENDING_TTL_MS))).toBe('ERR_LOGIN_EXPIRED');
    expect(s.pending).toBeUndefined();
  });

  it('keep at most five per session, dropping the oldest and the expired', () => {
    const s = session();
    addPendingLogin(s, pending('old', 0), 0);
    for (let i = 0; i < 6; i++) addPendingLogin(s, pending(`t${i}`, PENDING_TTL_MS + i), PENDING_TTL_MS + i);
    expect(Object.keys(s.pending ?? {})).toEqual(['t1', 't2', 't3', 't4', 't5']);
  });
});
