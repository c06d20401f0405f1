/**
 * What authorize (submit) does once the request is valid (ST-IDP-AUTHORIZE, ST-CONSENT; AS-3, AS-13):
 * - consent required and refused → the client's redirect_uri with `error=access_denied`, no code;
 * - otherwise (consent given, or not required even if `consent_granted: false`) → a grant, a single-use code
 *   bound to the whole transaction, the consent recorded, and the redirect_uri with `code`.
 * Both carry `state` (if sent) and `iss` (RFC 9207, switchable by `authorization_response_iss`). The API
 * returns the URL as JSON; the caller sends the browser there.
 */
import type { EmulatorContext } from '../../context.ts';
import { applyAuthorizationResponseFaults } from '../../faults/index.ts';
import { CODE_LIFETIME_SECONDS, issueCode } from '../codes.ts';
import { recordConsent } from '../consent.ts';
import { createGrant } from '../grants.ts';
import { subjectOf } from '../subject.ts';
import type { AuthorizeTransaction } from './index.ts';
import type { AuthorizeSubmitRequest } from './request.ts';

export interface AuthorizeResult {
  redirect_uri: string;
  authorization_code?: string;
}

function authorizationResponse(ctx: EmulatorContext, tx: AuthorizeTransaction, params: Record<string, string | undefined>): string {
  const url = new URL(tx.redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  if (ctx.settings().authorization_response_iss) url.searchParams.set('iss', ctx.issuer);
  applyAuthorizationResponseFaults(ctx, tx.client.client_id, url);
  return url.href;
}

export function completeAuthorization(ctx: EmulatorContext, tx: AuthorizeTransaction, request: AuthorizeSubmitRequest): AuthorizeResult {
  if (tx.consentRequired && !request.consent_granted) {
    ctx.log.info({ client_id: tx.client.client_id }, 'authorization denied: consent was required and not granted');
    return {
      redirect_uri: authorizationResponse(ctx, tx, {
        error: 'access_denied',
        error_description: 'The user denied the authorization request.',
        state: request.state,
      }),
    };
  }
  const subject = subjectOf(tx.identity);
  const code = ctx.store.transaction(() => {
    const grant = createGrant(
      ctx,
      {
        client_id: tx.client.client_id,
        subject,
        scopes: tx.grantableScopes,
        session_id: tx.identity.kind === 'user' ? tx.identity.session?.session_id : tx.identity.session?.member_session_id,
      },
      CODE_LIFETIME_SECONDS,
    );
    recordConsent(ctx, tx.client.client_id, subject, tx.grantableScopes);
    return issueCode(ctx, {
      client_id: tx.client.client_id,
      grant_id: grant.grant_id,
      redirect_uri: tx.redirectUri,
      subject,
      scopes: tx.grantableScopes,
      ...(request.nonce ? { nonce: request.nonce } : {}),
      ...(tx.codeChallenge ? { code_challenge: tx.codeChallenge } : {}),
    });
  });
  return { redirect_uri: authorizationResponse(ctx, tx, { code, state: request.state }), authorization_code: code };
}
