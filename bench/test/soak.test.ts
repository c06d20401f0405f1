/**
 * The soak run's parts that decide its verdict, without starting servers (the run itself takes minutes and is
 * measured in docs/soak.md): option parsing, the hostile request generator, and what counts as passed.
 */
import { describe, expect, it } from 'vitest';
import { hostileRequests } from '../hostile.ts';
import { parseSoakArgs } from '../soak-cli.ts';
import { soakPassed, type SoakResult } from '../soak.ts';

describe('npm run soak options', () => {
  it('defaults: 10,000 flows at 32 concurrent, 10,000 hostile requests, the three restarts in order', () => {
    expect(parseSoakArgs([])).toEqual({ flows: 10_000, concurrency: 32, hostile: 10_000, restarts: ['emulator', 'auth-server', 'client-app'], out: undefined });
    expect(parseSoakArgs(['--flows', '50', '--concurrency', '4', '--hostile', '0', '--restarts', 'client-app'])).toMatchObject({
      flows: 50,
      concurrency: 4,
      hostile: 0,
      restarts: ['client-app'],
    });
    expect(parseSoakArgs(['--restarts', 'none'])).toMatchObject({ restarts: [] });
  });

  it.each([
    [['--flows', '0'], /--flows: must be a whole number, at least 1/],
    [['--concurrency', 'many'], /--concurrency: must be a whole number/],
    [['--restarts', 'redis'], /--restarts: unknown process redis/],
    [['--bogus'], /Unknown option/],
  ])('%j is refused', (argv, message) => {
    expect(() => parseSoakArgs(argv)).toThrow(message);
  });
});

describe('hostile requests', () => {
  const targets = {
    authServerUrl: 'http://127.0.0.1:1',
    emulatorUrl: 'http://127.0.0.1:2',
    clientAppUrl: 'http://127.0.0.1:3',
    clientId: 'connected-app-test-1',
  };

  it('cover the five endpoints evenly, every shape, and are the same for the same seed', () => {
    const requests = hostileRequests(targets, 250);
    const per = (key: 'endpoint' | 'shape') => new Map(requests.map((r) => [r[key], requests.filter((x) => x[key] === r[key]).length]));
    expect([...per('endpoint')]).toEqual([
      ['authorize', 50],
      ['token', 50],
      ['revoke', 50],
      ['introspect', 50],
      ['callback', 50],
    ]);
    expect(per('shape').size).toBe(12);
    expect(hostileRequests(targets, 250)).toEqual(requests);
    expect(hostileRequests(targets, 250, 17)).not.toEqual(requests);
  });

  it('only carry header values a client can send (no control characters), so that every one reaches the server', () => {
    for (const r of hostileRequests(targets, 500)) {
      for (const value of Object.values(r.headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe('the verdict', () => {
  const passing: SoakResult = {
    options: { flows: 100, concurrency: 8, hostile: 10, restarts: ['emulator'] },
    durationS: 1,
    completed: 97,
    failed: 3,
    failedByKind: { 'other side closed': 3 },
    failureSamples: [],
    restarts: [{ part: 'emulator', afterFlows: 50, downMs: 900, inFlight: 3 }],
    peopleLost: 0,
    sessionsLost: 0,
    hostile: { sent: 10, byStatus: { '400': 10 }, failures: [] },
    deadProcesses: [],
  };

  it.each([
    ['failures only from flows in flight during a restart', {}, true],
    ['a person who had to log in again', { peopleLost: 1 }, false],
    ['a client-app session gone', { sessionsLost: 1 }, false],
    ['more failures than flows in flight during restarts', { failed: 4 }, false],
    [
      'a 5xx to a hostile request',
      { hostile: { sent: 10, byStatus: { '500': 1, '400': 9 }, failures: [{ endpoint: 'POST token', shape: 'x', outcome: '500' }] } },
      false,
    ],
    ['a process that died', { deadProcesses: ['auth-server'] }, false],
  ])('%s → %s', (_what, change, passed) => {
    expect(soakPassed({ ...passing, ...change })).toBe(passed);
  });
});
