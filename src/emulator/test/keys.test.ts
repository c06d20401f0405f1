/**
 * The keyring signs with node:crypto, so what it signs must be exactly the RS256 JWT a JOSE library expects; it
 * verifies with jose, pinned to RS256 and its published keys: one row per way a token must be refused.
 */
import { generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyOptions } from 'jose';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { Keyring } from '../keys.ts';
import { Store } from '../store.ts';

const stores: Store[] = [];
async function ring(): Promise<Keyring> {
  const store = new Store(':memory:', () => 1_000);
  stores.push(store);
  return Keyring.open(store, { kidPrefix: 'jwk-test' });
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('keyring: signatures', () => {
  test('a token verifies with jose against the published JWKS, header {alg: RS256, kid, typ: JWT}, claims intact', async () => {
    const keys = await ring();
    const claims = { iss: 'http://localhost:1', sub: 'user-test-1', aud: ['project-test-1'], scope: 'openid émail', iat: 1_000, exp: 4_000 };
    const jwt = await keys.sign(claims);
    expect(decodeProtectedHeader(jwt)).toStrictEqual({ alg: 'RS256', kid: keys.active.kid, typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(keys.jwks()), { algorithms: ['RS256'], currentDate: new Date(1_000_000) });
    expect(payload).toStrictEqual(claims);
    await expect(keys.verify(jwt)).resolves.toMatchObject({ payload: claims });
  });

  test('header overrides of fault scenarios apply (an absent kid is left out); another alg is refused', async () => {
    const keys = await ring();
    expect(decodeProtectedHeader(await keys.sign({ sub: 'x' }, { header: { kid: undefined, typ: 'at+jwt' } }))).toStrictEqual({ alg: 'RS256', typ: 'at+jwt' });
    await expect(keys.sign({ sub: 'x' }, { header: { alg: 'HS256' } })).rejects.toThrow(/RS256 only/);
  });

  test('after promote(), tokens are signed with the new key and both verify', async () => {
    const keys = await ring();
    const before = await keys.sign({ sub: 'x' });
    await keys.rotate();
    const promoted = await keys.promote();
    const after = await keys.sign({ sub: 'x' });
    expect(decodeProtectedHeader(after).kid).toBe(promoted.kid);
    await expect(keys.verify(before)).resolves.toBeDefined();
    await expect(keys.verify(after)).resolves.toBeDefined();
  });
});

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('keyring: verification', () => {
  const now = 10_000;
  const ISS = 'http://localhost:1';
  const options: Pick<JWTVerifyOptions, 'issuer' | 'audience' | 'typ'> = { issuer: ISS, audience: 'project-test-1', typ: 'JWT' };
  const claims = { iss: ISS, sub: 'user-test-1', aud: ['project-test-1'], iat: now, nbf: now, exp: now + 60 };
  /** A compact JWT with this header and payload, signed by `keys`'s active key through its own header handling. */
  type Make = (keys: Keyring) => Promise<string>;
  const resign = async (keys: Keyring, header: Record<string, unknown>, payload: unknown): Promise<string> => {
    const input = `${b64(header)}.${b64(payload)}`;
    // Sign the forged input with the real key, through the keyring's own private key (a private member).
    const key = (keys as unknown as { privateKey(r: unknown): Parameters<typeof rsaSign>[2] }).privateKey(keys.active);
    return `${input}.${rsaSign('sha256', Buffer.from(input), key).toString('base64url')}`;
  };
  // One key for every row (making one costs more than the whole table).
  const store = new Store(':memory:', () => 1_000);
  const shared = Keyring.open(store, { kidPrefix: 'jwk-test' });
  afterAll(() => store.close());
  const rows: Array<[name: string, make: Make, expected: 'ok' | (new (...args: never[]) => Error)]> = [
    ['valid', (k) => k.sign(claims), 'ok'],
    ['aud as a string', (k) => k.sign({ ...claims, aud: 'project-test-1' }), 'ok'],
    ['expired', (k) => k.sign({ ...claims, exp: now }), errors.JWTExpired],
    ['not yet valid', (k) => k.sign({ ...claims, nbf: now + 1 }), errors.JWTClaimValidationFailed],
    ['iat not a number', (k) => resign(k, { alg: 'RS256', kid: k.active.kid, typ: 'JWT' }, { ...claims, iat: 'yesterday' }), errors.JWTClaimValidationFailed],
    ['other issuer', (k) => k.sign({ ...claims, iss: 'http://evil' }), errors.JWTClaimValidationFailed],
    ['no issuer', (k) => k.sign({ ...claims, iss: undefined }), errors.JWTClaimValidationFailed],
    ['other audience', (k) => k.sign({ ...claims, aud: ['project-test-2'] }), errors.JWTClaimValidationFailed],
    ['typ at+jwt', (k) => k.sign(claims, { header: { typ: 'at+jwt' } }), errors.JWTClaimValidationFailed],
    ['typ application/jwt', (k) => k.sign(claims, { header: { typ: 'application/JWT' } }), 'ok'],
    ['no typ', (k) => k.sign(claims, { header: { typ: undefined } }), errors.JWTClaimValidationFailed],
    ['unknown kid', (k) => k.sign(claims, { header: { kid: 'jwk-test-unknown' } }), errors.JWKSNoMatchingKey],
    ['no kid, one published key', (k) => k.sign(claims, { header: { kid: undefined } }), 'ok'],
    ['payload not an object', (k) => resign(k, { alg: 'RS256', kid: k.active.kid, typ: 'JWT' }, [1, 2]), errors.JWTInvalid],
    [
      'tampered payload',
      async (k) => (await k.sign(claims)).replace(/\.[^.]+\./, `.${b64({ ...claims, sub: 'user-test-2' })}.`),
      errors.JWSSignatureVerificationFailed,
    ],
    ['truncated signature', async (k) => (await k.sign(claims)).slice(0, -4), errors.JWSSignatureVerificationFailed],
    ['not base64url', async (k) => `${await k.sign(claims)}*`, errors.JWSInvalid],
    ['two parts', async (k) => (await k.sign(claims)).split('.').slice(0, 2).join('.'), errors.JWSInvalid],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, errors.JOSEAlgNotAllowed],
    [
      'HS256 with the public key as secret',
      async (k) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: k.active.kid, typ: 'JWT' }).sign(Buffer.from(JSON.stringify(k.jwks()))),
      errors.JOSEAlgNotAllowed,
    ],
    [
      'signed by another RSA key under our kid',
      async (k) => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: k.active.kid, typ: 'JWT' }).sign(privateKey);
      },
      errors.JWSSignatureVerificationFailed,
    ],
  ];

  test.each(rows)('%s', async (_name, make, expected) => {
    const keys = await shared;
    const token = await make(keys);
    const verified = keys.verify(token, { ...options, currentDate: new Date(now * 1000) });
    if (expected === 'ok') await expect(verified).resolves.toMatchObject({ payload: decodeJwt(token) });
    else await expect(verified).rejects.toBeInstanceOf(expected);
  });

  test('an expired JWT fails with the payload, as the session-JWT fallback reads it', async () => {
    const keys = await shared;
    const err = await keys.verify(await keys.sign({ ...claims, exp: now }), { currentDate: new Date(now * 1000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.JWTExpired);
    expect((err as InstanceType<typeof errors.JWTExpired>).payload).toMatchObject({ sub: 'user-test-1', exp: now });
  });
});
