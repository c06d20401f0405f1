/**
 * The error catalogue: each entry is complete, and lookups fall back sensibly. That every code the app raises
 * has an entry of its own is checked by the compiler (`satisfies Record<CatalogueKey, …>`).
 */
import { describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { CATALOGUE, lookup } from '../src/error-catalogue.ts';
import { classify, RpError } from '../src/errors.ts';

describe('error catalogue', () => {
  it.each(Object.entries(CATALOGUE))('%s says what happened, the likely cause and what to check', (_key, entry) => {
    expect(entry.title.length).toBeGreaterThan(5);
    expect(entry.what.length).toBeGreaterThan(20);
    expect(entry.cause.length).toBeGreaterThan(10);
    expect(entry.check.length).toBeGreaterThan(0);
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(600);
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
