/**
 * The openid-client configuration verify uses, built the way this toolkit's client-app builds it (RP-5):
 * the discovered metadata, an explicit client authentication method, ID-token signatures checked
 * (`enableNonRepudiationChecks`) with RS256 pinned, and plain http only for a loopback issuer.
 *
 * The token endpoint's raw JSON is kept (`facts.rawTokenResponse`): when openid-client refuses a response, the
 * check can then say what the token actually contained.
 */
import * as oidc from 'openid-client';
import { isLoopbackUrl } from '../shared/config.ts';
import type { Json, VerifyContext } from './context.ts';
import { effectiveAuthMethod } from './checks/client-auth-method.ts';

export function clientAuth(ctx: VerifyContext): oidc.ClientAuth {
  const { authMethod, clientSecret } = ctx.target;
  switch (effectiveAuthMethod(authMethod, clientSecret)) {
    case 'client_secret_basic':
      return oidc.ClientSecretBasic(clientSecret ?? '');
    case 'client_secret_post':
      return oidc.ClientSecretPost(clientSecret ?? '');
    case 'none':
      return oidc.None();
  }
}

/** A fresh Configuration from the discovery document (no second discovery request). */
export function openidConfiguration(ctx: VerifyContext): oidc.Configuration {
  const document = ctx.facts.discovery!.document as unknown as oidc.ServerMetadata;
  const config = new oidc.Configuration(document, ctx.target.clientId, { id_token_signed_response_alg: 'RS256' }, clientAuth(ctx));
  if (isLoopbackUrl(document.issuer)) oidc.allowInsecureRequests(config);
  oidc.enableNonRepudiationChecks(config);
  const tokenEndpoint = document.token_endpoint;
  const timeoutMs = ctx.target.timeoutMs;
  config[oidc.customFetch] = async (url, options) => {
    const res = await fetch(url, { ...options, signal: AbortSignal.timeout(timeoutMs) } as RequestInit);
    if (url === tokenEndpoint && (res.headers.get('content-type') ?? '').includes('json')) {
      ctx.facts.rawTokenResponse = (await res
        .clone()
        .json()
        .catch(() => undefined)) as Json | undefined;
    }
    return res;
  };
  return config;
}

export interface OidcErrorSummary {
  code: string | undefined;
  oauthError: string | undefined;
  status: number | undefined;
  message: string;
}

/** "401 invalid_client (…)" from whatever openid-client threw; the OAuth error is read from the body when needed. */
export async function describeOidcError(err: unknown): Promise<OidcErrorSummary> {
  if (err instanceof oidc.ResponseBodyError) {
    return {
      code: err.code,
      oauthError: err.error,
      status: err.status,
      message: `${err.status} ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`,
    };
  }
  if (err instanceof oidc.AuthorizationResponseError) {
    return { code: err.code, oauthError: err.error, status: undefined, message: `${err.error}${err.error_description ? ` (${err.error_description})` : ''}` };
  }
  if (err instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with `WWW-Authenticate: Basic` (RFC 6749 §5.2) is thrown before the body is read: read it here.
    const body = (await err.response
      .clone()
      .json()
      .catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
    const challenge = err.cause[0];
    const error = challenge?.parameters.error ?? (typeof body?.error === 'string' ? body.error : undefined);
    const description = typeof body?.error_description === 'string' ? ` (${body.error_description})` : '';
    return {
      code: err.code,
      oauthError: error,
      status: err.status,
      message: `${err.status} ${error ?? `${challenge?.scheme ?? ''} challenge`}${description}`.trim(),
    };
  }
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { code, oauthError: undefined, status: undefined, message: code ? `${message} [${code}]` : message };
}
