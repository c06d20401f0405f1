/**
 * Scopes (ST-SCOPES): the OIDC standard ones, Stytch's `full_access`, and the project's custom RBAC
 * scopes. Decides which requested scopes exist, which the person may grant, and how each is described on
 * the consent screen (`scope_results`).
 */
import type { IDPScopeResult } from 'stytch';
import { isFirstParty, type ClientRecord } from '../clients/model.ts';
import type { EmulatorContext } from '../context.ts';
import type { Identity } from '../identity/model.ts';
import { canGrantScope, getPolicy } from '../rbac.ts';

/** UNCONFIRMED: Stytch's own descriptions of the standard scopes are not documented. */
export const STANDARD_SCOPES: Readonly<Record<string, string>> = {
  openid: 'Sign you in to the application',
  profile: 'View your name and profile picture',
  email: 'View your email address',
  phone: 'View your phone number',
  offline_access: 'Stay signed in and keep access when you are not using the application',
  full_access: 'Full access to your account, as if you were signed in',
};

/** A scope-token per RFC 6749 §3.3: `1*( %x21 / %x23-5B / %x5D-7E )`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** Splits an OAuth `scope` parameter (space-separated); repeated scopes count once. */
export function splitScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter(Boolean))];
}

/** Every scope the project knows: standard ones first, then the RBAC policy's. */
export function supportedScopes(ctx: EmulatorContext): string[] {
  return [...Object.keys(STANDARD_SCOPES), ...getPolicy(ctx).scopes.map((s) => s.scope)];
}

export function unknownScopes(ctx: EmulatorContext, scopes: readonly string[]): string[] {
  const known = new Set(supportedScopes(ctx));
  return scopes.filter((s) => !known.has(s));
}

/**
 * One result per requested scope, with the policy's description and whether this person may grant it:
 * standard scopes always (except `full_access`: first-party clients with `full_access_allowed` only),
 * custom scopes when the person's roles cover all their permissions.
 */
export function scopeResults(ctx: EmulatorContext, client: ClientRecord, identity: Identity, scopes: readonly string[]): IDPScopeResult[] {
  const policy = getPolicy(ctx);
  return scopes.map((scope) => {
    if (scope === 'full_access') {
      return { scope, description: STANDARD_SCOPES[scope]!, is_grantable: isFirstParty(client) && client.full_access_allowed };
    }
    const standard = STANDARD_SCOPES[scope];
    if (standard !== undefined) return { scope, description: standard, is_grantable: true };
    const custom = policy.scopes.find((s) => s.scope === scope);
    return { scope, description: custom?.description ?? '', is_grantable: custom ? canGrantScope(ctx, identity, custom) : false };
  });
}

/** UNCONFIRMED (ST-GUESS-UNGRANTABLE-SCOPES): ungrantable scopes are dropped from the grant, not refused. */
export function grantableScopes(results: readonly IDPScopeResult[]): string[] {
  return results.filter((r) => r.is_grantable).map((r) => r.scope);
}
