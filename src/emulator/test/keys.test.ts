/** The keyring signs with node:crypto: what it signs must be exactly the RS256 JWT a JOSE library expects. */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
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
