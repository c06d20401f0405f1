/** The error catalogue: every key the app can produce has a complete entry, and lookups fall back sensibly. */
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { CATALOGUE, lookup } from '../src/error-catalogue.ts';
import { classify, RpError, type RpErrorCode } from '../src/errors.ts';

const RP_CODES: RpErrorCode[] = [
  'ERR_UNKNOWN_PROFILE',
  'ERR_NO_PENDING_LOGIN',
  'ERR_STATE_MISSING',
  'ERR_STATE_MISMATCH',
  'ERR_LOGIN_EXPIRED',
  'ERR_AT_HASH_MISMATCH',
  'ERR_ID_TOKEN_TYPE',
  'ERR_ID_TOKEN_TOO_OLD',
  'ERR_REFRESHED_ID_TOKEN_MISMATCH',
  'ERR_ID_TOKEN_MISSING',
  'ERR_NOT_SIGNED_IN',
  'ERR_NO_REFRESH_TOKEN',
  'ERR_CSRF',
  'ERR_RATE_LIMITED',
  'ERR_INSECURE_ISSUER',
  'ERR_DISCOVERY_FAILED',
  'ERR_NOT_FOUND',
];

describe('error catalogue', () => {
  it.each(Object.entries(CATALOGUE))('%s says what happened, the likely cause and what to check', (_key, entry) => {
    expect(entry.title.length).toBeGreaterThan(5);
    expect(entry.what.length).toBeGreaterThan(20);
    expect(entry.cause.length).toBeGreaterThan(10);
    expect(entry.check.length).toBeGreaterThan(0);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(600);
  });

  it('has an entry of its own for every code the app raises', () => {
    for (const code of RP_CODES) expect(lookup(code).key).toBe(code);
  });

  it('falls back from CODE:check to CODE, and from an unknown OAuth error to the provider entry', () => {
    expect(lookup('OAUTH_JWT_CLAIM_COMPARISON_FAILED:something_new').key).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED');
    expect(lookup('brand_new_oauth_error').key).toBe('PROVIDER_ERROR');
    expect(lookup('SOMETHING_ELSE').key).toBe('UNEXPECTED');
  });
});

describe('classify', () => {
  it('keeps our own codes and facts', async () => {
    expect(await classify(new RpError('ERR_STATE_MISMATCH', 'x', { facts: { a: 'b' } }))).toMatchObject({ key: 'ERR_STATE_MISMATCH', facts: { a: 'b' } });
  });

  it('reads the OAuth error of an authorization response, keeping the description as data', async () => {
    const params = new URLSearchParams({ error: 'access_denied', error_description: '<b>no</b>' });
    const failure = await classify(new oidc.AuthorizationResponseError('authorization response from the server is an error', { cause: params }));
    expect(failure).toMatchObject({ key: 'access_denied', code: 'access_denied', providerDescription: '<b>no</b>' });
  });

  it('recognises a refused connection and an unknown error', async () => {
    expect((await classify(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }))).key).toBe('NETWORK_ERROR');
    expect((await classify(new Error('boom'))).key).toBe('UNEXPECTED');
  });
});
