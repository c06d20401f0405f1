/**
 * Access and ID tokens (ST-ACCESS-TOKEN, ST-ID-TOKEN; AS-12), signed by the project's keyring:
 * header `{alg: RS256, kid, typ: JWT}`, `iss` = the issuer (no trailing slash).
 *
 * Access token: `aud` [project_id (+ the client's custom audience) (+ the RFC 8707 resources, oauth/resources.ts)], `client_id`, `scope`, `jti`, and for
 * B2B `https://stytch.com/organization`, so that the SDK's `idp.introspectTokenLocal` accepts it.
 * ID token: `aud` [client_id], `nonce` echoed on the code exchange, profile/email/phone claims by scope,
 * 1 hour. Fault scenarios of the client may alter either (faults/README.md).
 */
import { randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { ClientRecord } from '../clients/model.ts';
import type { EmulatorContext } from '../context.ts';
import { applyAccessTokenFaults, signIdTokenWithFaults } from '../faults/index.ts';
import { claimsForScopes, oidcProfile } from '../identity/claims.ts';
import type { Identity } from '../identity/model.ts';
import { ORGANIZATION_CLAIM } from '../identity/session-jwt.ts';
import { activeAccessToken, issueRefreshToken, recordAccessToken, type AccessTokenRecord, type GrantRecord } from './grants.ts';
import { identityOf } from './subject.ts';

export const ID_TOKEN_LIFETIME_SECONDS = 60 * 60;
/**
 * Stytch: public clients' refresh tokens live 3 months from issue; confidential ones 3 or 6 months (the
 * docs disagree, ST-GUESS-REFRESH-LIFETIME) and each use extends them by 3 months. The emulator uses 90 days.
 */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;

export function organizationClaim(identity: Identity): Record<string, unknown> {
  return identity.kind === 'member'
    ? { [ORGANIZATION_CLAIM]: { organization_id: identity.organization.organization_id, slug: identity.organization.organization_slug } }
    : {};
}

/** An access token's claims, recorded (its `jti`, grant and expiry) so that it can be checked and revoked; signed by the caller. */
function recordedAccessTokenClaims(
  ctx: EmulatorContext,
  client: ClientRecord,
  grant: GrantRecord,
  identity: Identity,
  scopes: string[],
  /** RFC 8707: the audiences beyond the project id. */
  resources: string[] = [],
  /** The id of the refresh token issued in the same response, which revoking that refresh token also revokes. */
  refreshTokenId?: string,
): { claims: JWTPayload; expiresIn: number } {
  const now = ctx.now();
  const expiresIn = client.access_token_expiry_minutes * 60;
  const jti = randomBytes(24).toString('base64url');
  const claims: JWTPayload = {
    iss: ctx.issuer,
    sub: grant.subject.kind === 'user' ? grant.subject.user_id : grant.subject.member_id,
    aud: [...new Set([ctx.projectId, ...(client.access_token_custom_audience ? [client.access_token_custom_audience] : []), ...resources])],
    client_id: client.client_id,
    scope: scopes.join(' '),
    iat: now,
    nbf: now,
    exp: now + expiresIn,
    jti,
    ...organizationClaim(identity),
  };
  applyAccessTokenFaults(ctx, client.client_id, claims);
  const record: AccessTokenRecord = {
    jti,
    grant_id: grant.grant_id,
    client_id: client.client_id,
    scopes,
    exp: now + expiresIn,
    ...(refreshTokenId ? { refresh_token_id: refreshTokenId } : {}),
  };
  recordAccessToken(ctx, record);
  return { claims, expiresIn };
}

export async function mintIdToken(
  ctx: EmulatorContext,
  client: ClientRecord,
  identity: Identity,
  scopes: string[],
  opts: { nonce?: string | undefined; grantType: 'authorization_code' | 'refresh_token' },
): Promise<string> {
  const now = ctx.now();
  const claims: JWTPayload = {
    ...claimsForScopes(oidcProfile(identity), scopes),
    iss: ctx.issuer,
    aud: [client.client_id],
    iat: now,
    nbf: now,
    exp: now + ID_TOKEN_LIFETIME_SECONDS,
    // OIDC Core §3.1.3.6 echoes the nonce; §12.2 says a refreshed ID token should not carry one.
    ...(opts.nonce !== undefined && opts.grantType === 'authorization_code' ? { nonce: opts.nonce } : {}),
  };
  return signIdTokenWithFaults(ctx, client.client_id, claims, { grantType: opts.grantType, issuer: ctx.issuer, now });
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/**
 * The token response for a grant: access token always, ID token with `openid`, and a refresh token when
 * `refreshToken` says so (the grant handlers decide: offline_access, and rotation rules).
 */
export async function issueTokens(
  ctx: EmulatorContext,
  args: {
    client: ClientRecord;
    grant: GrantRecord;
    identity: Identity;
    scopes: string[];
    /** RFC 8707: the audiences beyond the project id. */
    resources: string[];
    grantType: 'authorization_code' | 'refresh_token';
    nonce?: string | undefined;
    issueRefreshToken: boolean;
    /** A refresh token that stays valid (a confidential client's) and goes with this response's access token. */
    keptRefreshTokenId?: string;
  },
): Promise<TokenResponse> {
  const { client, grant, identity, scopes } = args;
  // The response's records (refresh token, access token, the grant's new expiry) in one commit, then the signatures.
  const { refresh, access } = ctx.store.transaction(() => {
    const refresh = args.issueRefreshToken ? issueRefreshToken(ctx, grant, REFRESH_TOKEN_LIFETIME_SECONDS) : undefined;
    return { refresh, access: recordedAccessTokenClaims(ctx, client, grant, identity, scopes, args.resources, refresh?.id ?? args.keptRefreshTokenId) };
  });
  const response: TokenResponse = {
    access_token: await ctx.keys.sign(access.claims),
    token_type: 'bearer',
    expires_in: access.expiresIn,
    scope: scopes.join(' '),
  };
  if (scopes.includes('openid')) response.id_token = await mintIdToken(ctx, client, identity, scopes, { nonce: args.nonce, grantType: args.grantType });
  if (refresh) response.refresh_token = refresh.token;
  return response;
}

export interface ActiveAccessToken {
  claims: JWTPayload;
  token: AccessTokenRecord;
  grant: GrantRecord;
  identity: Identity;
}

/**
 * An access token that verifies (signature with a published key, RS256, `typ: JWT`, issuer, project
 * audience, not expired) and is still live (neither it nor its grant revoked, its person still exists).
 * Anything else is simply undefined: callers must not tell why (RFC 7662 §2.2).
 */
export async function verifyAccessToken(ctx: EmulatorContext, token: string): Promise<ActiveAccessToken | undefined> {
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await ctx.keys.verify(token, { issuer: ctx.issuer, audience: ctx.projectId, typ: 'JWT' }));
  } catch {
    return undefined;
  }
  const live = activeAccessToken(ctx, claims.jti);
  if (!live || live.token.client_id !== claims.client_id) return undefined;
  const identity = identityOf(ctx, live.grant.subject);
  return identity ? { claims, token: live.token, grant: live.grant, identity } : undefined;
}
