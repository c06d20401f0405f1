/**
 * The ID token, validated as OIDC Core §3.1.3.7 says (openid-client did it during the exchange, with signature
 * checks on): RS256 with a key of the JWKS, `iss` = issuer, `aud` = client id, `nonce` echoed, not expired. This
 * reports what the token says, or why it was refused, from the raw token response.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

function describe(idToken: unknown): Record<string, unknown> {
  if (typeof idToken !== 'string') return { id_token: null };
  try {
    const { alg, kid, typ } = decodeProtectedHeader(idToken);
    const { iss, aud, azp, exp, iat, sub } = decodeJwt(idToken);
    return { alg, kid, typ, iss, aud, azp, exp, iat, sub, nonce_present: 'nonce' in decodeJwt(idToken) };
  } catch {
    return { id_token: 'not a JWT' };
  }
}

export const loginIdToken: Check = {
  id: 'login.id-token',
  title: 'ID token is valid (RS256, kid in JWKS, iss, aud, nonce, exp)',
  required: true,
  needs: ['login.code-exchange'],
  async run({ target, facts }) {
    const issuer = String(facts.discovery!.document.issuer);
    if (facts.tokenValidationError) {
      const seen = describe(facts.rawTokenResponse?.id_token);
      return fail(
        `openid-client refused the token response: ${facts.tokenValidationError.message}; the ID token says ${JSON.stringify(seen)}`,
        `The ID token must be signed (RS256) by a key in ${String(facts.discovery!.document.jwks_uri)}, with iss "${issuer}", aud "${target.clientId}" and the nonce sent; ` +
          'an iss that differs means the app and Stytch are not using the same domain (see discovery.issuer).',
        DASHBOARD.projectDomain,
        seen,
      );
    }
    const tokens = facts.tokens!;
    if (!tokens.id_token) {
      if (!target.scopes.includes('openid')) return pass('no ID token, as expected without the openid scope');
      return fail('no id_token although openid was requested', 'Make sure openid is granted (it is a standard scope of every project).', DASHBOARD.scopes);
    }
    const seen = describe(tokens.id_token);
    const kids = (facts.jwks?.keys ?? []).map((k) => k.kid);
    if (seen.alg !== 'RS256' || (kids.length > 0 && !kids.includes(seen.kid))) {
      return fail(
        `alg ${String(seen.alg)}, kid ${String(seen.kid)} (JWKS kids: ${kids.join(', ')})`,
        'Stytch signs with RS256 and a kid of the project JWKS; check the issuer.',
        DASHBOARD.projectDomain,
        seen,
      );
    }
    const claims = tokens.claims()!;
    const ttl = claims.exp - Math.floor(Date.now() / 1000);
    return pass(`RS256, kid ${String(seen.kid)}, iss ✓, aud ✓, nonce ✓, expires in ${ttl} s, sub ${claims.sub}`, seen);
  },
};
