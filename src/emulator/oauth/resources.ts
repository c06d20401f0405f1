/**
 * Resource indicators (RFC 8707): the protected resources (e.g. an MCP server's URL) a client wants a
 * token for. Sent as `resources` to the IDP authorize API (the SDK's field) and as repeated `resource`
 * parameters to the token endpoint.
 *
 * - Each value is an absolute URI without a fragment (RFC 8707 §2); anything else is refused.
 * - The resources of an authorization are stored on its grant; a token request may name any subset
 *   (default: all of them), never one that was not granted: `invalid_target` (RFC 8707 §2.2).
 * - They go into the access token's `aud`, after the project id that Stytch always puts there
 *   (https://stytch.com/docs/api-reference/consumer/api/connected-apps/tokens/connected-app-access-token-object),
 *   so that `idp.introspectTokenLocal` keeps accepting the token and a resource server can check that
 *   it is one of the audiences. UNCONFIRMED: how Stytch lays out `aud` with resources is not documented.
 */
import type { Request } from 'express';
import { OAuthError } from '../errors.ts';
import type { GrantRecord } from './grants.ts';
import { params } from './params.ts';

/** RFC 8707 §2: "an absolute URI … MUST NOT include a fragment component". */
export function resourceProblem(value: string): string | undefined {
  if (value.includes('#')) return `resource ${JSON.stringify(value)} has a fragment; RFC 8707 §2 forbids one.`;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || !URL.canParse(value)) return `resource ${JSON.stringify(value)} is not an absolute URI (RFC 8707 §2).`;
  return undefined;
}

/** The resources of a token request: the granted ones, or the subset it names (RFC 8707 §2.2). */
export function tokenResources(req: Request, grant: Pick<GrantRecord, 'resources'>): string[] {
  const granted = grant.resources ?? [];
  const requested = [...new Set(params(req, 'resource'))];
  if (requested.length === 0) return granted;
  for (const resource of requested) {
    const problem = resourceProblem(resource);
    if (problem) throw new OAuthError('invalid_target', problem);
    if (!granted.includes(resource)) {
      throw new OAuthError('invalid_target', `resource ${resource} was not granted in this authorization (granted: ${granted.join(' ') || 'none'}).`);
    }
  }
  return requested;
}
