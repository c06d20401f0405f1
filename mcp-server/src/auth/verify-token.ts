/**
 * Access token validation through the `stytch` SDK, as Stytch's MCP guide has a resource server do it
 * (https://stytch.com/docs/connected-apps/guides/mcp-auth-overview):
 *
 * - `local` (default): `idp.introspectTokenLocal`: RS256 signature against the project's JWKS (fetched once
 *   and cached by the SDK), `typ: JWT`, expiry, and the project id in `aud`;
 * - `network`: `idp.introspectTokenNetwork`: Stytch's RFC 7662 endpoint, which also sees revoked tokens.
 *   Stytch introspects a token "for the given Connected Apps client", so the call names the client the token
 *   was issued to (its `client_id` claim, read unverified: Stytch does the verifying). MCP clients that
 *   registered themselves are public, so no secret is needed; a confidential client's token is refused.
 *
 * Then, whatever the mode, the checks the SDK leaves to us:
 * - the issuer is exactly the project domain (the SDK also accepts `stytch.com/{project_id}`, which is the
 *   issuer of session JWTs, not of Connected Apps access tokens);
 * - `aud` includes this server's resource identifier (RFC 8707 §2; MCP authorization, "Token Audience
 *   Binding and Validation"): a token minted for another resource is refused, so a token cannot be replayed
 *   from one MCP server to another;
 * - `exp` is present and in the future.
 *
 * Every refusal is the SDK's `InvalidTokenError` with a description that says what to fix; the bearer
 * middleware turns it into the 401 challenge.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { decodeJwt } from 'jose';
import { Agent } from 'undici';
import { B2BClient, Client } from 'stytch';
import type { Logger } from '../../../src/shared/log.ts';
import { sdkBaseUrl } from '../../../src/shared/stytch-project.ts';
import { quietEmulatorClient } from '../../../src/shared/stytch-sdk.ts';
import type { McpServerConfig } from '../config.ts';

/** What a validated token says, whichever SDK call produced it. */
interface Introspected {
  subject: string;
  scope: string;
  audience: string | string[] | undefined;
  expiresAt: number | undefined;
  issuer: string;
  clientId: string | undefined;
  organization?: { organization_id: string; slug: string } | undefined;
}

/** What the tools see of the caller (AuthInfo.extra). */
export interface Caller {
  subject: string;
  issuer: string;
  audience: string[];
  organization?: { organization_id: string; slug: string } | undefined;
}

export interface StytchTokenVerifier extends OAuthTokenVerifier {
  close(): Promise<void>;
}

/** The SDK's answer (either call, either project type) in one shape. */
function introspected(
  r: { subject: string; scope: string; audience: string | string[]; expires_at: number; issuer: string; organization?: unknown },
  clientId: string | undefined,
): Introspected {
  return {
    subject: r.subject,
    scope: r.scope,
    audience: r.audience,
    expiresAt: r.expires_at,
    issuer: r.issuer,
    clientId,
    organization: r.organization as Introspected['organization'],
  };
}

/** A resource identifier compared as RFC 8707 writes it: the URL, one trailing slash aside. */
function sameResource(a: string, b: string): boolean {
  const strip = (v: string) => v.replace(/\/$/, '');
  return strip(a) === strip(b);
}

/** jose's codes say why a JWT failed; the descriptions tell the client what to do next. */
function localFailure(err: unknown): string {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The access token has expired: refresh it, or sign in again';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'The access token is not signed by this Stytch project';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return 'The access token was not issued by this Stytch project (issuer or audience)';
    default:
      return 'The access token is not a valid Stytch access token';
  }
}

/** `now`: epoch seconds; tests move it to see tokens expire. */
export function stytchTokenVerifier(
  config: Pick<McpServerConfig, 'stytch' | 'resource' | 'tokenValidation'>,
  log: Logger,
  now: () => number = () => Date.now() / 1000,
): StytchTokenVerifier {
  const { stytch: project, resource } = config;
  const dispatcher = new Agent({ connect: { timeout: project.timeoutMs }, headersTimeout: project.timeoutMs, bodyTimeout: project.timeoutMs });
  const sdkConfig = { project_id: project.projectId, secret: project.secret, dispatcher, ...sdkBaseUrl(project.apiUrl) };
  const client = quietEmulatorClient(() => (project.projectType === 'b2b' ? new B2BClient(sdkConfig) : new Client(sdkConfig)));

  const introspect = async (token: string): Promise<Introspected> => {
    if (config.tokenValidation === 'local') {
      try {
        const r = await client.idp.introspectTokenLocal(token, { current_date: new Date(now() * 1000) });
        return introspected(r, typeof r.custom_claims.client_id === 'string' ? r.custom_claims.client_id : undefined);
      } catch (err) {
        if (err instanceof TypeError) throw new InvalidTokenError('The access token lacks the claims of a Stytch access token');
        throw new InvalidTokenError(localFailure(err));
      }
    }
    let clientId: unknown;
    try {
      clientId = decodeJwt(token).client_id;
    } catch {
      throw new InvalidTokenError('The access token is not a JWT issued by Stytch');
    }
    if (typeof clientId !== 'string') throw new InvalidTokenError('The access token names no client_id');
    try {
      return introspected(await client.idp.introspectTokenNetwork({ token, client_id: clientId }), clientId);
    } catch (err) {
      const cause = (err as { cause?: { status_code?: number } }).cause;
      if (cause?.status_code && cause.status_code < 500) {
        // Stytch would not introspect for this client: a confidential client, whose secret this server does not hold.
        throw new InvalidTokenError(
          `Stytch does not introspect tokens of client ${clientId} without its secret: validate them locally (MCP_SERVER_TOKEN_VALIDATION=local)`,
        );
      }
      if (cause) {
        // Not an answer about the token: Stytch could not be asked. Our problem, not the client's.
        log.error({ err: String(cause) }, 'token introspection failed');
        throw new ServerError('Token introspection is unavailable');
      }
      throw new InvalidTokenError('The access token is not active (expired, revoked, or unknown to this Stytch project)');
    }
  };

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const t = await introspect(token);
      if (t.issuer !== project.issuer) {
        throw new InvalidTokenError(`The access token was issued by ${t.issuer}, not by the project domain ${project.issuer}`);
      }
      const audience = [t.audience ?? []].flat();
      const boundTo = audience.find((aud) => sameResource(aud, resource));
      if (!boundTo) {
        throw new InvalidTokenError(
          `The access token is not for this MCP server (aud ${JSON.stringify(audience)}): ask for one with resource=${resource} (RFC 8707)`,
        );
      }
      if (typeof t.expiresAt !== 'number' || t.expiresAt <= now()) {
        throw new InvalidTokenError('The access token has expired: refresh it, or sign in again');
      }
      const caller: Caller = { subject: t.subject, issuer: t.issuer, audience, organization: t.organization };
      return {
        token,
        clientId: t.clientId ?? '',
        scopes: t.scope.split(' ').filter(Boolean),
        expiresAt: t.expiresAt,
        resource: new URL(boundTo),
        extra: { caller },
      };
    },
    close: () => dispatcher.close(),
  };
}
