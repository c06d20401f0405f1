import { setTimeout as sleep } from 'node:timers/promises';
import { OAuthError } from '../../errors.ts';
import { defineScenario } from '../types.ts';

/** Default stall: beyond a sensible RP timeout (openid-client's default is 30 s). */
export const DEFAULT_TOKEN_DELAY_MS = 35_000;

/** The token endpoint stalls before answering. */
export const tokenSlow = defineScenario({
  name: 'token-slow',
  description: 'The token endpoint waits `token_delay_ms` (default 35 s) before it answers; then it answers normally.',
  rpMustDo: 'Time out the token request (before `token_delay_ms`), show an error page, and keep no half-finished login.',
  expected: { outcome: 'reject', by: 'openid-client', code: 'OAUTH_TIMEOUT' },
  origin: 'operational',
  conformanceModule: '(none: an operational fault)',
  step: 'login',
  params: { token_delay_ms: DEFAULT_TOKEN_DELAY_MS },
  async beforeToken({ params, signal }) {
    try {
      await sleep(params.token_delay_ms ?? DEFAULT_TOKEN_DELAY_MS, undefined, { signal });
    } catch {
      // The client gave up (that is the point): stop here, without touching the grant.
      throw new OAuthError('temporarily_unavailable', 'Injected fault token-slow: the client hung up while the token endpoint stalled.');
    }
  },
});
