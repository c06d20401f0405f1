/**
 * Consent: when the person must be asked (Stytch's rules, ST-CONSENT), and the record of what they
 * authorized, which feeds "already consented" and the per-user / per-member Connected Apps views.
 *
 * Collection `consents`: id `${subject_id} ${client_id}`, lookup subject_id. One record per person and
 * client, holding the scopes of their latest completed authorization.
 */
import type { EmulatorContext } from '../context.ts';
import { isFirstParty, type ClientRecord } from '../clients/model.ts';
import { grantsFor, revokeGrant, subjectId, type GrantSubject } from './grants.ts';

export interface ConsentRecord {
  client_id: string;
  subject: GrantSubject;
  scopes: string[];
  granted_at: number;
  /**
   * Set by "Revoke Connected App": the record stays so that the next authorization asks again, even for a
   * first-party client, until the person consents anew.
   */
  revoked_at?: number;
}

function consents(ctx: Pick<EmulatorContext, 'store'>) {
  return ctx.store.collection<ConsentRecord>('consents');
}

export function findConsent(ctx: Pick<EmulatorContext, 'store'>, clientId: string, subject: string): ConsentRecord | undefined {
  return consents(ctx).get(`${subject} ${clientId}`);
}

export function recordConsent(ctx: EmulatorContext, clientId: string, subject: GrantSubject, scopes: string[]): void {
  const id = subjectId(subject);
  consents(ctx).put(`${id} ${clientId}`, { client_id: clientId, subject, scopes: [...scopes].sort(), granted_at: ctx.now() }, { lookup: id });
}

/** The person's authorized Connected Apps (revoked ones are not). */
export function listConsents(ctx: Pick<EmulatorContext, 'store'>, subject: string): ConsentRecord[] {
  return consents(ctx)
    .listByLookup(subject)
    .filter((c) => c.revoked_at === undefined);
}

export function listOrganizationConsents(ctx: Pick<EmulatorContext, 'store'>, organizationId: string): ConsentRecord[] {
  return consents(ctx)
    .all()
    .filter((c) => c.revoked_at === undefined && c.subject.kind === 'member' && c.subject.organization_id === organizationId);
}

/**
 * "Revoke Connected App": end every grant, token and pending code of the pair, and mark the consent revoked.
 * Stytch: "after calling this method, the user will be forced to grant consent in subsequent authorization
 * flows with the Connected App" (https://stytch.com/docs/api-reference/consumer/frontend-sdks/react/methods/connected-apps/revoke-connected-app).
 */
export function revokeConsent(ctx: EmulatorContext, clientId: string, subject: string): void {
  const now = ctx.now();
  ctx.store.transaction(() => {
    consents(ctx).update(`${subject} ${clientId}`, (c) => ({ ...c, scopes: [], revoked_at: now }));
    for (const grant of grantsFor(ctx, clientId, subject)) revokeGrant(ctx, grant.grant_id, 'connected app revoked by the user or member');
  });
}

export interface ConsentQuestion {
  client: ClientRecord;
  /** The scopes that would be granted (the grantable ones of the request). */
  scopes: string[];
  prompt: string[];
  prior: ConsentRecord | undefined;
}

/**
 * Stytch's rules (ST-CONSENT):
 * - `prompt=consent` always asks;
 * - after "Revoke Connected App", the next authorization asks, first-party clients included;
 * - `offline_access` always asks, except a first-party client with `bypass_consent_for_offline_access`;
 * - a first-party client is otherwise trusted;
 * - a third-party client asks unless the person already consented to exactly this scope set
 *   ("later flows skip it unless the requested scope set changes": a narrower set is a change too).
 */
export function isConsentRequired({ client, scopes, prompt, prior }: ConsentQuestion): boolean {
  if (prompt.includes('consent')) return true;
  if (prior?.revoked_at !== undefined) return true;
  if (scopes.includes('offline_access') && !(isFirstParty(client) && client.bypass_consent_for_offline_access)) return true;
  if (isFirstParty(client)) return false;
  return !prior || !sameSet(prior.scopes, scopes);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
