/**
 * The ID token rules openid-client leaves to the application, run once it has accepted the token (signature,
 * alg, iss, aud, azp, exp, nonce and the presence of iat are its job):
 * - `typ`, when present, must say JWT: a token typed as something else (`at+jwt`, an access token) is not an
 *   ID token, whatever its claims (RFC 8725 §3.11; Stytch types every token `JWT`).
 * - `iat` must be recent: openid-client limits the age to an hour only for ID tokens from the authorization
 *   endpoint (hybrid flow); one from the token endpoint was minted just now (OIDC Core §3.1.3.7 step 10).
 * - `at_hash`, when present, binds the ID token to the access token (OIDC Core §3.1.3.8); openid-client does not
 *   check it in the code flow.
 * - A refreshed ID token must have the same `iss`, `sub` and `aud` as the original (OIDC Core §12.2);
 *   openid-client validates each token on its own and does not compare them.
 */
import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { RpError } from '../errors.ts';
import type { SignedIn } from '../session-data.ts';

const HASH_FOR_ALG: Record<string, string> = {
  RS256: 'sha256',
  PS256: 'sha256',
  ES256: 'sha256',
  RS384: 'sha384',
  PS384: 'sha384',
  ES384: 'sha384',
  RS512: 'sha512',
  PS512: 'sha512',
  ES512: 'sha512',
};

/** base64url of the left half of the hash of the access token, the hash chosen by the ID token's `alg`. */
export function computeAtHash(accessToken: string, alg: string): string | undefined {
  const hash = HASH_FOR_ALG[alg];
  if (!hash) return undefined;
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export function assertAtHash(claims: Record<string, unknown>, accessToken: string, alg: string): void {
  if (claims.at_hash === undefined) return;
  if (claims.at_hash !== computeAtHash(accessToken, alg)) {
    throw new RpError('ERR_AT_HASH_MISMATCH', 'ID token at_hash does not match the access token', { facts: { check: 'at_hash' } });
  }
}

/** The oldest `iat` accepted, in seconds before now: the limit openid-client applies to hybrid-flow ID tokens. */
export const ID_TOKEN_MAX_AGE_S = 3600;

/** Absent, or `JWT` in any case, with or without `application/` (RFC 7519 §5.1). */
export function isJwtType(typ: unknown): boolean {
  return typ === undefined || (typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'jwt');
}

export function assertIdTokenType(header: Record<string, unknown>): void {
  if (!isJwtType(header.typ)) {
    throw new RpError('ERR_ID_TOKEN_TYPE', `the ID token's typ header is ${JSON.stringify(header.typ)}, not JWT`, {
      facts: { 'typ header': String(header.typ) },
    });
  }
}

/** `now` in epoch seconds. A non-numeric or missing `iat` was already refused by openid-client. */
export function assertIssuedRecently(claims: Record<string, unknown>, now = Math.floor(Date.now() / 1000)): void {
  if (typeof claims.iat === 'number' && claims.iat < now - ID_TOKEN_MAX_AGE_S) {
    throw new RpError(
      'ERR_ID_TOKEN_TOO_OLD',
      `the ID token was issued at ${new Date(claims.iat * 1000).toISOString()}, more than ${ID_TOKEN_MAX_AGE_S / 60} minutes ago`,
      {
        facts: { 'issued at (iat)': new Date(claims.iat * 1000).toISOString() },
      },
    );
  }
}

/** The rules above that every ID token meets, login or refresh: typ, iat age, at_hash. */
export function assertAppIdTokenRules(idToken: string, claims: Record<string, unknown>, accessToken: string, alg: string): void {
  assertIdTokenType(decodeProtectedHeader(idToken) as Record<string, unknown>);
  assertIssuedRecently(claims);
  assertAtHash(claims, accessToken, alg);
}

function sameAudience(a: string | string[], b: unknown): boolean {
  const left = [a].flat().sort();
  const right = [b]
    .flat()
    .filter((v): v is string => typeof v === 'string')
    .sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

/** Which of iss, sub, aud differ between the login's ID token and a refreshed one. */
export function identityDifferences(original: SignedIn['original'], refreshed: Record<string, unknown>): string[] {
  const differences: string[] = [];
  if (refreshed.iss !== original.iss) differences.push('iss');
  if (refreshed.sub !== original.sub) differences.push('sub');
  if (!sameAudience(original.aud, refreshed.aud)) differences.push('aud');
  return differences;
}

export function assertSameIdentity(original: SignedIn['original'], refreshed: Record<string, unknown>): void {
  const differences = identityDifferences(original, refreshed);
  if (differences.length) {
    throw new RpError('ERR_REFRESHED_ID_TOKEN_MISMATCH', `refreshed ID token differs from the original in ${differences.join(', ')}`, {
      facts: { 'claims that changed': differences.join(', ') },
    });
  }
}
