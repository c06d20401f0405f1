/**
 * The IDP authorize API (authorize/start and authorize, Consumer and B2B; ST-IDP-AUTHORIZE), as one chain of
 * checks, each in its own module under `checks/`, in this order:
 *
 *   client → redirect_uri → response_type → identity → organization policy (B2B) → scopes → PKCE and
 *   resources (submit) → consent
 *
 * The first two come first because their failures must never reach the redirect URI (AS-2).
 * `start` stops after consent and describes the request; `submit` then either issues a code or, when
 * consent was required and refused, answers with an `access_denied` redirect.
 */
import type { IDPScopeResult } from 'stytch';
import type { ClientRecord } from '../../clients/model.ts';
import type { EmulatorContext } from '../../context.ts';
import type { Identity } from '../../identity/model.ts';
import { resolveIdentity, type IdentityFields } from '../../identity/resolve.ts';
import { checkClient } from './checks/client.ts';
import { checkConsent } from './checks/consent.ts';
import { checkOrganizationPolicy } from './checks/organization-policy.ts';
import { checkPkce } from './checks/pkce.ts';
import { checkRedirectUri } from './checks/redirect-uri.ts';
import { checkResources } from './checks/resources.ts';
import { checkResponseType } from './checks/response-type.ts';
import { checkScopes } from './checks/scopes.ts';
import { parseStart, parseSubmit, type AuthorizeStartRequest, type AuthorizeSubmitRequest } from './request.ts';

export interface AuthorizeTransaction {
  client: ClientRecord;
  identity: Identity;
  redirectUri: string;
  requestedScopes: string[];
  scopeResults: IDPScopeResult[];
  /** The scopes a code would carry (ungrantable ones dropped, ST-GUESS-UNGRANTABLE-SCOPES). */
  grantableScopes: string[];
  /** Submit only: the PKCE challenge the code will be bound to. */
  codeChallenge: string | undefined;
  /** Submit only: the RFC 8707 resources the code will be granted for. */
  resources: string[];
  consentRequired: boolean;
}

type Step = { step: 'start'; request: AuthorizeStartRequest } | { step: 'submit'; request: AuthorizeSubmitRequest };

async function validate(ctx: EmulatorContext, body: unknown, { step, request }: Step): Promise<AuthorizeTransaction> {
  const client = await checkClient(ctx, request.client_id);
  const redirectUri = checkRedirectUri(ctx, client, request.redirect_uri);
  checkResponseType(request.response_type);
  const identity = await resolveIdentity(ctx, (body ?? {}) as IdentityFields);
  checkOrganizationPolicy(client, identity);
  const scopes = checkScopes(ctx, client, identity, request.scopes);
  // authorize/start takes no code_challenge (ST-IDP-AUTHORIZE): PKCE is checked when the code is made.
  const codeChallenge = step === 'submit' ? checkPkce(client, request.code_challenge) : undefined;
  // Like code_challenge, `resources` is a field of authorize (submit) only, in both SDKs.
  const resources = step === 'submit' ? checkResources(request.resources) : [];
  const consentRequired = checkConsent(ctx, client, identity, scopes.grantable, request.prompt);
  return {
    client,
    identity,
    redirectUri,
    requestedScopes: scopes.requested,
    scopeResults: scopes.results,
    grantableScopes: scopes.grantable,
    codeChallenge,
    resources,
    consentRequired,
  };
}

export function validateAuthorizeStart(ctx: EmulatorContext, body: unknown): Promise<AuthorizeTransaction> {
  return validate(ctx, body, { step: 'start', request: parseStart(body) });
}

export async function validateAuthorizeSubmit(ctx: EmulatorContext, body: unknown): Promise<{ tx: AuthorizeTransaction; request: AuthorizeSubmitRequest }> {
  const request = parseSubmit(body);
  return { tx: await validate(ctx, body, { step: 'submit', request }), request };
}
