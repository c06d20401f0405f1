/**
 * The session JWT cache answers only while the SDK's local check would accept the same JWT again: before its
 * `exp`, and less than the maximum age after its `iat`. Everything else goes to the backend (the SDK).
 */
import { describe, expect, it } from 'vitest';
import { cacheSessionChecks } from '../../src/stytch/session-jwt-cache.ts';
import type { AuthenticatedSession, StytchBackend } from '../../src/stytch/backend.ts';

const T0 = 1_800_000_000; // seconds
const MAX_AGE = 60;
const ada = { id: 'user-test-ada' };

/** An unsigned JWT with these claims: the cache only ever sees JWTs the backend has just vouched for. */
function jwt(claims: { iat?: number; exp?: number; sub?: string }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: ada.id, ...claims })}.c2lnbmF0dXJl`;
}

/** The SDK's side, counted: answers each JWT with `answer(jwt)` (default: valid, same JWT, Ada). */
function fakeBackend(answer: (jwt: string | undefined) => AuthenticatedSession | null = (j) => ({ subject: ada, ...(j ? { sessionJwt: j } : {}) })) {
  const seen: Array<string | undefined> = [];
  const backend = {
    authenticateSession: async (credential: { sessionToken: string; sessionJwt?: string | undefined }) => {
      seen.push(credential.sessionJwt);
      return answer(credential.sessionJwt);
    },
  } as Partial<StytchBackend> as StytchBackend;
  return { backend, seen };
}

function setup(options: { maxEntries?: number; answer?: Parameters<typeof fakeBackend>[0] } = {}) {
  const clock = { ms: T0 * 1000 };
  const { backend, seen } = fakeBackend(options.answer);
  const cached = cacheSessionChecks(backend, { now: () => clock.ms, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) });
  const check = (sessionJwt: string | undefined) => cached.authenticateSession({ sessionToken: 'token', sessionJwt }, MAX_AGE);
  return { clock, seen, check };
}

describe('cacheSessionChecks', () => {
  // A JWT issued at T0 that expires 5 minutes later, checked at T0 and then again `later` seconds after T0.
  it.each([
    ['the next step, a few seconds later', 5, false],
    ['just under the maximum age', MAX_AGE - 0.001, false],
    ['at the maximum age', MAX_AGE, true],
    ['past the maximum age', MAX_AGE + 30, true],
  ])('%s: verified again = %s', async (_name, later, again) => {
    const { clock, seen, check } = setup();
    const token = jwt({ iat: T0, exp: T0 + 300 });
    expect(await check(token)).toEqual({ subject: ada, sessionJwt: token });
    clock.ms = (T0 + later) * 1000;
    expect(await check(token)).toEqual({ subject: ada, sessionJwt: token });
    expect(seen).toHaveLength(again ? 2 : 1);
  });

  it('honours the JWT expiry when it comes before the maximum age', async () => {
    const { clock, seen, check } = setup();
    const token = jwt({ iat: T0, exp: T0 + 10 });
    await check(token);
    clock.ms = (T0 + 9.9) * 1000;
    await check(token);
    expect(seen).toHaveLength(1);
    clock.ms = (T0 + 10) * 1000;
    await check(token);
    expect(seen).toHaveLength(2);
  });

  it('never answers for another JWT, even of the same person', async () => {
    const { seen, check } = setup();
    await check(jwt({ iat: T0, exp: T0 + 300 }));
    await check(jwt({ iat: T0 + 1, exp: T0 + 301 }));
    expect(seen).toHaveLength(2);
  });

  it('remembers no refusal: a session the backend refused is asked about again', async () => {
    const { seen, check } = setup({ answer: () => null });
    const token = jwt({ iat: T0, exp: T0 + 300 });
    expect(await check(token)).toBeNull();
    expect(await check(token)).toBeNull();
    expect(seen).toHaveLength(2);
  });

  it('remembers the fresh JWT Stytch answered with, not the stale one it replaced', async () => {
    const fresh = jwt({ iat: T0, exp: T0 + 300 });
    const { seen, check } = setup({ answer: () => ({ subject: ada, sessionJwt: fresh }) });
    const stale = jwt({ iat: T0 - 120, exp: T0 + 180 });
    expect(await check(stale)).toEqual({ subject: ada, sessionJwt: fresh });
    expect(await check(fresh)).toEqual({ subject: ada, sessionJwt: fresh });
    expect(await check(stale)).toEqual({ subject: ada, sessionJwt: fresh });
    expect(seen).toEqual([stale, stale]);
  });

  it.each([
    ['no JWT (a session stored before JWTs were kept)', undefined],
    ['a JWT without iat', jwt({ exp: T0 + 300 })],
    ['a JWT without exp', jwt({ iat: T0 })],
    ['something that is not a JWT', 'not-a-jwt'],
  ])('does not cache %s', async (_name, token) => {
    const { seen, check } = setup();
    await check(token);
    await check(token);
    expect(seen).toHaveLength(2);
  });

  it('holds at most maxEntries JWTs, dropping the one remembered longest ago', async () => {
    const { seen, check } = setup({ maxEntries: 2 });
    const [a, b, c] = [0, 1, 2].map((i) => jwt({ iat: T0 + i, exp: T0 + 300 })) as [string, string, string];
    for (const token of [a, b, c]) await check(token);
    await check(c);
    await check(b);
    expect(seen).toEqual([a, b, c]);
    await check(a);
    expect(seen).toEqual([a, b, c, a]);
  });
});
