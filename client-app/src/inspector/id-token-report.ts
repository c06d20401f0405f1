/**
 * Explains an ID token for the flow inspector: its decoded header and claims, and one row per validation check.
 *
 * openid-client (and the app-level rules of flow/id-token-rules.ts) decide whether a token is accepted; this module only explains that
 * decision. It recomputes each claim comparison for display, and takes the verdict of the check that actually
 * failed from the classified failure, so the page and the enforcement cannot disagree about what went wrong.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Failure } from '../errors.ts';
import { redact } from '../../../src/shared/log.ts';
import { computeAtHash, ID_TOKEN_MAX_AGE_S, identityDifferences, isJwtType } from '../flow/id-token-rules.ts';
import type { SignedIn } from '../session-data.ts';

export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  expected?: string | undefined;
  actual?: string | undefined;
  explain: string;
}

export interface IdTokenReport {
  /** Redacted: enough to recognise the token, not to use it. */
  token: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  verdict: 'accepted' | 'rejected';
  checks: CheckResult[];
}

export interface ReportContext {
  issuer: string;
  clientId: string;
  /** The login's nonce; absent for refreshed tokens (the nonce is not repeated on refresh). */
  nonce?: string | undefined;
  accessToken?: string | undefined;
  /** For refreshed tokens: the login's iss/sub/aud. */
  original?: SignedIn['original'] | undefined;
  /** Keys the provider served during this request, if it fetched them. */
  jwksKids?: string[] | undefined;
  now?: number | undefined;
}

/** Which row each classified failure belongs to. */
const FAILURE_ROW: Record<string, string> = {
  'OAUTH_INVALID_RESPONSE:alg': 'alg',
  'OAUTH_INVALID_RESPONSE:signature': 'signature',
  OAUTH_KEY_SELECTION_FAILED: 'signature',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss': 'iss',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud': 'aud',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:azp': 'aud',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp': 'exp',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:iat': 'iat',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce': 'nonce',
  'OAUTH_INVALID_RESPONSE:nonce-missing': 'nonce',
  'OAUTH_INVALID_RESPONSE:claim-missing': 'required claims',
  ERR_ID_TOKEN_TYPE: 'typ',
  ERR_ID_TOKEN_TOO_OLD: 'iat',
  ERR_AT_HASH_MISMATCH: 'at_hash',
  ERR_REFRESHED_ID_TOKEN_MISMATCH: 'same person as at login',
};

/** Failures raised after openid-client accepted the token, signature included. */
const AFTER_LIBRARY = new Set(['ERR_ID_TOKEN_TYPE', 'ERR_ID_TOKEN_TOO_OLD', 'ERR_AT_HASH_MISMATCH', 'ERR_REFRESHED_ID_TOKEN_MISMATCH']);

const CLOCK_TOLERANCE_S = 30;

const show = (v: unknown): string => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));

export function reportIdToken(raw: string, ctx: ReportContext, failure?: Failure): IdTokenReport {
  let header: Record<string, unknown> = {};
  let claims: Record<string, unknown> = {};
  try {
    header = decodeProtectedHeader(raw) as Record<string, unknown>;
    claims = decodeJwt(raw) as Record<string, unknown>;
  } catch {
    return {
      token: redact(raw),
      header,
      claims,
      verdict: 'rejected',
      checks: [{ name: 'format', status: 'fail', explain: 'Not a JWS compact serialization (three base64url parts).' }],
    };
  }
  const now = ctx.now ?? Math.floor(Date.now() / 1000);
  const failedRow = failure ? (FAILURE_ROW[failure.key] ?? (failure.key.startsWith('OAUTH_') ? 'other' : undefined)) : undefined;
  const rows: CheckResult[] = [];
  const row = (name: string, ok: boolean, explain: string, expected?: string, actual?: string) =>
    rows.push({ name, status: ok ? 'pass' : 'fail', explain, expected, actual });

  row(
    'alg',
    header.alg === 'RS256',
    'Pinned to RS256 in the client metadata, so neither "none" nor a shared-secret HS256 token is accepted.',
    'RS256',
    show(header.alg),
  );
  row(
    'typ',
    isJwtType(header.typ),
    'Absent or JWT: a token typed as something else (at+jwt is an access token) is not an ID token. Checked by this app.',
    'JWT (or absent)',
    show(header.typ),
  );

  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const kidNote = kid
    ? `key id ${kid}${ctx.jwksKids ? (ctx.jwksKids.includes(kid) ? ', published in the JWKS' : ', NOT in the JWKS the provider served') : ''}`
    : 'no kid header';
  const signatureRow: CheckResult =
    !failure || AFTER_LIBRARY.has(failure.key)
      ? {
          name: 'signature',
          status: 'pass',
          explain: `Verified with the provider's published key (${kidNote}). openid-client checks it because enableNonRepudiationChecks is on.`,
        }
      : failedRow === 'signature'
        ? { name: 'signature', status: 'fail', explain: `The signature did not verify with the provider's published keys (${kidNote}).` }
        : {
            name: 'signature',
            status: 'skipped',
            explain: 'Not reached: openid-client verifies the signature after the claims, and a claim check failed first.',
          };
  rows.push(signatureRow);

  const required = ['iss', 'sub', 'aud', 'exp', 'iat'].filter((c) => claims[c] === undefined);
  row(
    'required claims',
    required.length === 0,
    'OpenID Connect requires iss, sub, aud, exp and iat.',
    'iss sub aud exp iat',
    required.length ? `missing: ${required.join(' ')}` : 'all present',
  );

  row('iss', claims.iss === ctx.issuer, 'Must be exactly the issuer from the discovery document.', ctx.issuer, show(claims.iss));

  const aud = [claims.aud].flat();
  const audOk = aud.includes(ctx.clientId) && (aud.length === 1 || claims.azp === ctx.clientId);
  row(
    'aud',
    audOk,
    'Must contain this client_id; with several audiences, azp must name this client.',
    ctx.clientId,
    show(claims.aud) + (claims.azp !== undefined ? ` (azp ${show(claims.azp)})` : ''),
  );

  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  row(
    'exp',
    exp !== undefined && exp + CLOCK_TOLERANCE_S > now,
    `Must be in the future (${CLOCK_TOLERANCE_S} s clock tolerance).`,
    `after ${new Date((now - CLOCK_TOLERANCE_S) * 1000).toISOString()}`,
    exp !== undefined ? new Date(exp * 1000).toISOString() : '(absent)',
  );

  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  row(
    'iat',
    iat !== undefined && iat <= now + CLOCK_TOLERANCE_S && iat >= now - ID_TOKEN_MAX_AGE_S,
    `Must be present, not in the future, and at most ${ID_TOKEN_MAX_AGE_S / 60} minutes old: the token was just issued (the age is checked by this app).`,
    `between ${new Date((now - ID_TOKEN_MAX_AGE_S) * 1000).toISOString()} and now`,
    iat !== undefined ? new Date(iat * 1000).toISOString() : '(absent)',
  );

  if (ctx.nonce !== undefined) {
    // The nonce travelled through the browser in the authorization request: it is not a secret, so it is shown whole.
    row(
      'nonce',
      claims.nonce === ctx.nonce,
      'Must equal the nonce this login sent, which ties the token to this login and this browser.',
      ctx.nonce,
      show(claims.nonce),
    );
  }

  if (claims.at_hash === undefined) {
    rows.push({ name: 'at_hash', status: 'skipped', explain: 'Absent, which is allowed in the code flow.' });
  } else if (ctx.accessToken && typeof header.alg === 'string') {
    const expected = computeAtHash(ctx.accessToken, header.alg);
    row(
      'at_hash',
      claims.at_hash === expected,
      'Hash of the access token: proves both tokens came together.',
      expected ?? '(unsupported alg)',
      show(claims.at_hash),
    );
  }

  if (ctx.original) {
    const differences = identityDifferences(ctx.original, claims);
    row(
      'same person as at login',
      differences.length === 0,
      'A refreshed ID token must keep the iss, sub and aud of the original (OIDC Core §12.2).',
      `sub ${ctx.original.sub}`,
      differences.length ? `differs in ${differences.join(', ')}` : `sub ${show(claims.sub)}`,
    );
  }

  // The check that actually failed is authoritative, whatever the display computation above found.
  if (failedRow) {
    const hit = rows.find((r) => r.name === failedRow);
    if (hit) hit.status = 'fail';
  }
  return { token: redact(raw), header, claims, verdict: failure ? 'rejected' : 'accepted', checks: rows };
}
