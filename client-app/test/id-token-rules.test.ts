/** The ID token rules openid-client leaves to the application (src/flow/id-token-rules.ts): one row per value. */
import { describe, expect, it } from 'vitest';
import { assertIdTokenType, assertIssuedRecently, ID_TOKEN_MAX_AGE_S } from '../src/flow/id-token-rules.ts';
import { RpError } from '../src/errors.ts';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof RpError ? err.code : String(err);
  }
};

describe('typ header', () => {
  it.each([
    [undefined, undefined],
    ['JWT', undefined],
    ['jwt', undefined],
    ['application/jwt', undefined],
    ['at+jwt', 'ERR_ID_TOKEN_TYPE'],
    ['logout+jwt', 'ERR_ID_TOKEN_TYPE'],
    ['JOSE', 'ERR_ID_TOKEN_TYPE'],
    [42, 'ERR_ID_TOKEN_TYPE'],
  ])('typ %j → %s', (typ, expected) => {
    expect(codeOf(() => assertIdTokenType(typ === undefined ? {} : { typ }))).toBe(expected);
  });
});

describe('iat age', () => {
  const now = 1_700_000_000;
  it.each([
    ['just issued', now, undefined],
    ['at the limit', now - ID_TOKEN_MAX_AGE_S, undefined],
    ['a second too old', now - ID_TOKEN_MAX_AGE_S - 1, 'ERR_ID_TOKEN_TOO_OLD'],
    ['a week old', now - 7 * 24 * 3600, 'ERR_ID_TOKEN_TOO_OLD'],
  ])('%s → %s', (_what, iat, expected) => {
    expect(codeOf(() => assertIssuedRecently({ iat }, now))).toBe(expected);
  });
});
