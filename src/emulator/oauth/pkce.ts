/**
 * PKCE (RFC 7636), S256 only (Stytch: "For Stytch this should always be S256"). Stytch's authorize API has no
 * `code_challenge_method` field, so the challenge is checked for the shape an S256 challenge always has:
 * exactly 43 base64url characters (a SHA-256 digest, unpadded). A `plain` challenge (the verifier itself,
 * 43–128 characters of a wider alphabet) is thereby refused unless it happens to look like a digest.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function isS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

/** BASE64URL(SHA256(ASCII(verifier))) === challenge, compared in constant time. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
