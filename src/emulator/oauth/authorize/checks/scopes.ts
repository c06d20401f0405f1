import type { IDPScopeResult } from 'stytch';
import type { ClientRecord } from '../../../clients/model.ts';
import type { EmulatorContext } from '../../../context.ts';
import type { Identity } from '../../../identity/model.ts';
import { grantableScopes, isScopeToken, scopeResults, unknownScopes } from '../../scopes.ts';
import { idpErrors } from '../errors.ts';

export interface CheckedScopes {
  /** The requested scopes, deduplicated, in request order. */
  requested: string[];
  results: IDPScopeResult[];
  /** What a code would carry: the grantable requested scopes. */
  grantable: string[];
}

/**
 * At least one scope: Stytch's Start OAuth Authorization validates `scope` and takes `scopes` as a required list
 * (https://stytch.com/docs/api-reference/consumer/api/connected-apps/consent-management/start-oauth-authorization).
 * Each scope must be a valid scope-token (RFC 6749 §3.3) and known to the project (standard or RBAC);
 * then each gets its description and `is_grantable` for this person.
 */
export function checkScopes(ctx: EmulatorContext, client: ClientRecord, identity: Identity, scopes: string[]): CheckedScopes {
  const requested = [...new Set(scopes)];
  if (requested.length === 0) throw idpErrors.invalidScope('At least one scope is required.');
  const malformed = requested.filter((s) => !isScopeToken(s));
  if (malformed.length) throw idpErrors.invalidScope(`Not valid scope values: ${malformed.map((s) => JSON.stringify(s)).join(', ')}.`);
  const unknown = unknownScopes(ctx, requested);
  if (unknown.length) throw idpErrors.invalidScope(`Unknown scopes (neither standard nor in the project's RBAC policy): ${unknown.join(', ')}.`);
  const results = scopeResults(ctx, client, identity, requested);
  return { requested, results, grantable: grantableScopes(results) };
}
