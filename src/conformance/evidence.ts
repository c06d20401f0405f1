/**
 * What the emulator's record (GET /emulator/events, src/emulator/faults/evidence.ts) says about one row or the
 * baseline: was the fault delivered, which client reached the emulator, what the emulator answered. Pure
 * functions over the events, so that every verdict rests on what the emulator saw, not on what a page shows.
 */
import type { FaultScenario } from '../emulator/index.ts';
import type { EvidenceEvent } from './emulator.ts';

type Response = Extract<EvidenceEvent, { kind: 'response' }>;
type AuthorizationRequest = Extract<EvidenceEvent, { kind: 'authorization_request' }>;

const responses = (events: readonly EvidenceEvent[], clientId: string) =>
  events.filter((e): e is Response => e.kind === 'response' && e.client_id === clientId);

/** The authorization request the relying party sent for its code (the Authorization URL's submit). */
export function authorizationRequest(events: readonly EvidenceEvent[], clientId: string): AuthorizationRequest | undefined {
  const mine = events.filter((e): e is AuthorizationRequest => e.kind === 'authorization_request' && e.client_id === clientId);
  return mine.findLast((e) => e.step === 'submit') ?? mine.at(-1);
}

/** Client ids other than `clientId` that started a login or called the token endpoint. */
export function otherClients(events: readonly EvidenceEvent[], clientId: string): string[] {
  const ids = events.flatMap((e) =>
    (e.kind === 'authorization_request' || (e.kind === 'response' && e.endpoint === 'token')) && e.client_id && e.client_id !== clientId ? [e.client_id] : [],
  );
  return [...new Set(ids)];
}

/** Whether the emulator injected `scenario` for the client during the row. */
export function delivered(events: readonly EvidenceEvent[], clientId: string, scenario: string): boolean {
  return events.some((e) => e.kind === 'injection' && e.client_id === clientId && e.scenario === scenario);
}

/** Why a fault was not delivered, from what its hooks need and what the relying party did call. */
export function undeliveredReason(s: FaultScenario, events: readonly EvidenceEvent[], clientId: string): string {
  const calls = responses(events, clientId);
  const token = calls.filter((e) => e.endpoint === 'token');
  if (s.userinfo) return 'the relying party never called UserInfo, so the fault was never delivered';
  if (s.step === 'refresh' && !token.some((e) => e.grant_type === 'refresh_token')) return 'the relying party made no refresh request to the token endpoint';
  if (s.authorizationResponse && !authorizationRequest(events, clientId)) return 'no authorization request of the client reached the emulator';
  if (token.length === 0 && !s.jwks) return 'the relying party made no token request';
  if (s.jwks) return 'the relying party did not fetch the JWKS while the fault was on';
  return 'the emulator recorded no injection of this fault for the client';
}

/** The emulator's 429 and 5xx answers to the client (and JWKS failures), e.g. "token 429 too_many_requests". */
export function emulatorTrouble(events: readonly EvidenceEvent[], clientId: string): string[] {
  return events
    .filter((e): e is Response => e.kind === 'response' && (e.client_id === clientId || e.client_id === undefined) && (e.status === 429 || e.status >= 500))
    .map((e) => `${e.endpoint} ${e.status}${e.error ? ` ${e.error}` : ''}`);
}

/**
 * What the emulator's record makes of a row the browser drove: the emulator's trouble to print with it, and
 * whether the row is *not exercised* (the fault never reached the relying party, or a 429 makes the outcome
 * about the rate limit, not the fault). A row that could not be driven at all stays a failure.
 */
export function weigh(
  s: FaultScenario,
  driven: boolean,
  events: readonly EvidenceEvent[],
  clientId: string,
): { trouble: string[]; notExercised?: { reason: string; undelivered: boolean } } {
  const trouble = emulatorTrouble(events, clientId);
  if (!driven) return { trouble };
  if (!delivered(events, clientId, s.name)) return { trouble, notExercised: { reason: undeliveredReason(s, events, clientId), undelivered: true } };
  const limited = trouble.filter((t) => / 429\b/.test(t));
  if (limited.length)
    return {
      trouble,
      notExercised: { reason: `the emulator rate-limited the row (${limited.join(', ')}), so the outcome would not be about the fault`, undelivered: false },
    };
  return { trouble };
}

/** The emulator's side of a login, in one sentence: "token request failed: invalid_client (401)". */
export function emulatorView(events: readonly EvidenceEvent[], clientId: string): string {
  const request = authorizationRequest(events, clientId);
  const others = otherClients(events, clientId);
  if (!request) {
    return others.length
      ? `no authorization request for client ${clientId}; it saw client ${others.join(', ')}`
      : `no authorization request for client ${clientId} reached it (is the relying party configured with this emulator as its issuer?)`;
  }
  const calls = responses(events, clientId);
  const failed = calls.filter((e) => e.status >= 400);
  if (failed.length) return failed.map((e) => `${e.endpoint} request failed: ${e.error ?? 'HTTP error'} (${e.status})`).join('; ');
  if (request.step === 'start') return 'the login was started but no code was issued (login or consent not completed)';
  const token = calls.filter((e) => e.endpoint === 'token');
  if (token.length === 0) return 'a code was issued, but the relying party never called the token endpoint';
  return `the token request succeeded${calls.some((e) => e.endpoint === 'userinfo') ? ', and so did UserInfo' : ''}`;
}
