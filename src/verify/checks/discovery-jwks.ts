/**
 * Stytch signs ID and access tokens with RS256 and names each key by `kid`. A client picks the verification key by
 * `kid`, so every key needs one and no two may share it (two keys with one kid make verification depend on order).
 * The discovery document must not offer `none` or HMAC algorithms, which would widen what a client accepts
 * (RP-5: RS256 pinned).
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const discoveryJwks: Check = {
  id: 'discovery.jwks',
  title: 'JWKS is reachable, with RS256 keys and unique kids',
  required: true,
  needs: ['discovery.endpoints'],
  async run(ctx) {
    const doc = ctx.facts.discovery!.document;
    const uri = String(doc.jwks_uri);
    const algs = doc.id_token_signing_alg_values_supported;
    if (Array.isArray(algs) && (algs.includes('none') || algs.some((a) => typeof a === 'string' && a.startsWith('HS')))) {
      return fail(
        `id_token_signing_alg_values_supported is ${JSON.stringify(algs)}`,
        'The issuer must sign with RS256 only; pin id_token_signed_response_alg: "RS256" in your client as well.',
        DASHBOARD.projectDomain,
        { id_token_signing_alg_values_supported: algs },
      );
    }
    const res = await ctx.http(uri, { headers: { accept: 'application/json' } });
    if (res.error || res.status !== 200 || !Array.isArray(res.json?.keys)) {
      return fail(
        `GET ${uri} → ${res.error ?? `${res.status}${res.json ? ', no "keys" array' : ''}`}`,
        'The JWKS must answer 200 with {"keys": [...]} without authentication; check the project domain and any proxy in front of it.',
        DASHBOARD.projectDomain,
        { jwks_uri: uri, status: res.status },
      );
    }
    const keys = (res.json.keys as unknown[]).filter((k): k is Record<string, unknown> => typeof k === 'object' && k !== null);
    const kids = keys.map((k) => k.kid);
    const rs256 = keys.filter((k) => k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256') && (k.use === undefined || k.use === 'sig'));
    const missingKid = keys.filter((k) => typeof k.kid !== 'string' || k.kid === '').length;
    const duplicates = [...new Set(kids.filter((kid, i) => typeof kid === 'string' && kids.indexOf(kid) !== i))];
    const details = { jwks_uri: uri, keys: keys.length, kids, rs256: rs256.length };
    const problems = [
      ...(rs256.length === 0 ? [`no RS256 signing key among ${keys.length} key(s)`] : []),
      ...(missingKid ? [`${missingKid} key(s) without a kid`] : []),
      ...(duplicates.length ? [`kid used more than once: ${duplicates.join(', ')}`] : []),
    ];
    if (problems.length) {
      return fail(
        problems.join('; '),
        "The JWKS must publish RS256 keys, each with its own kid; check that jwks_uri is Stytch's and not a stale copy.",
        DASHBOARD.projectDomain,
        details,
      );
    }
    ctx.facts.jwks = { keys };
    return pass(`${keys.length} key(s), ${rs256.length} RS256, kids ${kids.join(', ')}`, details);
  },
};
