/**
 * How a run reads the emulator's record (src/conformance/evidence.ts), one row per rule: a fault that never
 * reached the relying party, or a row the rate limit decided, is "not exercised", never a pass or a failure;
 * the baseline's failure is told from the emulator's side.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../../emulator/index.ts';
import type { EvidenceEvent } from '../emulator.ts';
import { emulatorView, weigh } from '../evidence.ts';

const ME = 'connected-app-test-me';
let seq = 0;
const at = () => ({ seq: ++seq, at: Date.now() });
const authz = (clientId = ME, step: 'start' | 'submit' = 'submit'): EvidenceEvent => ({
  ...at(),
  kind: 'authorization_request',
  client_id: clientId,
  step,
  redirect_uri: 'http://rp/cb',
  redirect_uri_registered: true,
  state_sent: true,
  nonce_sent: true,
  code_challenge_sent: true,
});
const answer = (endpoint: string, status: number, error?: string, grantType?: string, clientId: string | undefined = ME): EvidenceEvent => ({
  ...at(),
  kind: 'response',
  endpoint,
  client_id: clientId,
  status,
  error,
  grant_type: grantType,
});
const injected = (scenario: string, hook: string): EvidenceEvent => ({ ...at(), kind: 'injection', client_id: ME, scenario, hook });

describe('weigh: is the row about the fault?', () => {
  it.each([
    [
      'UserInfo never called',
      'userinfo-sub-mismatch',
      [authz(), answer('token', 200, undefined, 'authorization_code')],
      'the relying party never called UserInfo',
    ],
    [
      'no refresh request',
      'refresh-invalid-sub',
      [authz(), answer('token', 200, undefined, 'authorization_code')],
      'the relying party made no refresh request to the token endpoint',
    ],
    ['no token request', 'invalid-iss', [authz()], 'the relying party made no token request'],
    // Regression (issue 15): a correct relying party "refused" token-slow because the emulator answered 429.
    [
      'a 429 during the row',
      'token-slow',
      [authz(), injected('token-slow', 'beforeToken'), answer('token', 429, 'too_many_requests', 'authorization_code')],
      'the emulator rate-limited the row (token 429 too_many_requests)',
    ],
  ] as const)('%s: not exercised', (_what, name, events, reason) => {
    const verdict = weigh(scenarioByName(name)!, true, events, ME);
    expect(verdict.notExercised?.reason).toContain(reason);
  });

  it('a delivered fault counts, and the emulator’s 5xx is kept for the row', () => {
    const events = [authz(), injected('token-5xx', 'beforeToken'), answer('token', 500, 'server_error', 'authorization_code')];
    expect(weigh(scenarioByName('token-5xx')!, true, events, ME)).toEqual({ trouble: ['token 500 server_error'] });
  });

  it('another client’s injection does not count as delivered', () => {
    const events = [authz(), answer('token', 200), { ...injected('invalid-iss', 'idTokenClaims'), client_id: 'connected-app-test-other' }];
    expect(weigh(scenarioByName('invalid-iss')!, true, events, ME).notExercised?.undelivered).toBe(true);
  });

  it('a row that could not be driven stays as it is (a failure), whatever the record says', () => {
    expect(weigh(scenarioByName('invalid-iss')!, false, [], ME)).toEqual({ trouble: [] });
  });
});

describe('emulatorView: the baseline from the emulator’s side', () => {
  it.each([
    ['a wrong client secret', [authz(), answer('token', 401, 'invalid_client', 'authorization_code')], 'token request failed: invalid_client (401)'],
    [
      'another client',
      [authz('connected-app-test-other')],
      'no authorization request for client connected-app-test-me; it saw client connected-app-test-other',
    ],
    ['nothing at all', [], 'no authorization request for client connected-app-test-me reached it'],
    ['a code, then nothing', [authz()], 'a code was issued, but the relying party never called the token endpoint'],
    ['login not completed', [authz(ME, 'start')], 'the login was started but no code was issued'],
    ['all well', [authz(), answer('token', 200), answer('userinfo', 200)], 'the token request succeeded, and so did UserInfo'],
  ] as const)('%s', (_what, events, view) => {
    expect(emulatorView(events, ME)).toContain(view);
  });
});
