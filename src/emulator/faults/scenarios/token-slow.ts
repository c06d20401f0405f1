import { setTimeout as sleep } from 'node:timers/promises';
import { OAuthError } from '../../errors.ts';
import type { FaultScenario } from '../types.ts';

/** Default stall: beyond a sensible RP timeout (openid-client's default is 30 s). */
export const DEFAULT_TOKEN_DELAY_MS = 35_000;

/** The token endpoint stalls before answering. */
export const tokenSlow: FaultScenario = {
  name: 'token-slow',
  description: 'The token endpoint waits `token_delay_ms` (default 35 s) before it answers.',
  rpMustDo: 'Time out the token request, show an error page, and keep no half-finished login.',
  conformanceModule: '(none: operational fault)',
  async beforeToken({ params, signal }) {
    try {
      await sleep(params.token_delay_ms ?? DEFAULT_TOKEN_DELAY_MS, undefined, { signal });
    } catch {
      // The client gave up (that is the point): stop here, without touching the grant.
      throw new OAuthError(503, 'temporarily_unavailable', 'Injected fault token-slow: the client hung up while the token endpoint stalled.');
    }
  },
};
