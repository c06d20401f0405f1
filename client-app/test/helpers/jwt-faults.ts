/**
 * Re-mints an ID token the way a misbehaving provider would: changed claims or header, re-signed with the
 * provider's own key (so that only the intended check can fail), another key, a shared secret, or not at all.
 */
import { createHash } from 'node:crypto';
import { base64url, CompactSign, decodeJwt, decodeProtectedHeader, generateKeyPair, type CryptoKey } from 'jose';

export type IdTokenFault =
  | { kind: 'claims'; change: (claims: Record<string, unknown>) => void }
  | { kind: 'bad-signature' }
  | { kind: 'unknown-kid' }
  | { kind: 'alg-none' }
  | { kind: 'hs256'; secret: string };

const encoder = new TextEncoder();

export async function applyFault(idToken: string, fault: IdTokenFault, key: { signingKey: CryptoKey; kid: string }): Promise<string> {
  const header = decodeProtectedHeader(idToken);
  const claims = decodeJwt(idToken) as Record<string, unknown>;
  switch (fault.kind) {
    case 'claims': {
      fault.change(claims);
      return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ ...header, alg: 'RS256', kid: key.kid }).sign(key.signingKey);
    }
    case 'bad-signature': {
      const [h, p, s] = idToken.split('.') as [string, string, string];
      const sig = base64url.decode(s);
      sig[0] = (sig[0] ?? 0) ^ 0xff;
      return `${h}.${p}.${base64url.encode(sig)}`;
    }
    case 'unknown-kid': {
      const { privateKey } = await generateKeyPair('RS256');
      return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'not-in-the-jwks' }).sign(privateKey);
    }
    case 'alg-none': {
      return `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    }
    case 'hs256': {
      return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encoder.encode(fault.secret));
    }
  }
}

/** at_hash as a provider computes it for RS256. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}
