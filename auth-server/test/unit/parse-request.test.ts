/**
 * Step 1 of the authorization endpoint. Bad client_id / redirect_uri are page errors (never redirected);
 * everything else is an OAuth error for the client (cat. FE-1, cat. FE-2, cat. FE-3).
 */
import { describe, expect, it } from 'vitest';
import { PageError } from '../../src/errors.ts';
import { DEFAULT_SCOPES, parseAuthorizationRequest } from '../../src/authorize/parse-request.ts';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const base = {
  client_id: 'connected-app-test-1',
  redirect_uri: 'https://app.example/cb',
  response_type: 'code',
  scope: 'openid email',
  state: 's',
};
const query = (params: Record<string, string | string[] | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const value of [v ?? []].flat()) q.append(k, value);
  return q;
};

describe('parseAuthorizationRequest', () => {
  it('reads a complete request and splits scope', () => {
    const { request, problem } = parseAuthorizationRequest(
      query({ ...base, nonce: 'n', code_challenge: CHALLENGE, code_challenge_method: 'S256', prompt: 'consent login' }),
    );
    expect(problem).toBeUndefined();
    expect(request).toEqual({
      clientId: 'connected-app-test-1',
      redirectUri: 'https://app.example/cb',
      responseType: 'code',
      scopes: ['openid', 'email'],
      state: 's',
      nonce: 'n',
      codeChallenge: CHALLENGE,
      prompt: ['consent', 'login'],
    });
  });

  it('passes state through untouched, however hostile', () => {
    const state = '"><script>alert(1)</script>&x=1';
    expect(parseAuthorizationRequest(query({ ...base, state })).request.state).toBe(state);
  });

  it("uses the scopes of Stytch's hosted login when scope is absent", () => {
    expect(parseAuthorizationRequest(query({ ...base, scope: undefined })).request.scopes).toEqual(DEFAULT_SCOPES);
  });

  // Rows: what is wrong → the page error (no redirect possible).
  it.each([
    ['no client_id', { client_id: undefined }, 'missing_client_id'],
    ['empty client_id', { client_id: '' }, 'missing_client_id'],
    ['repeated client_id', { client_id: ['a', 'b'] }, 'duplicate_parameter'],
    ['no redirect_uri', { redirect_uri: undefined }, 'missing_redirect_uri'],
    ['repeated redirect_uri', { redirect_uri: ['https://app.example/cb', 'https://evil.example/cb'] }, 'duplicate_parameter'],
    ['relative redirect_uri', { redirect_uri: '/cb' }, 'malformed_redirect_uri'],
    ['redirect_uri with a fragment', { redirect_uri: 'https://app.example/cb#x' }, 'malformed_redirect_uri'],
  ])('%s → page error %s', (_name, change, code) => {
    expect(() => parseAuthorizationRequest(query({ ...base, ...change }))).toThrow(expect.objectContaining({ code }));
    expect(() => parseAuthorizationRequest(query({ ...base, ...change }))).toThrow(PageError);
  });

  // Rows: what is wrong → the OAuth error sent back to the (verified) redirect_uri.
  it.each([
    ['no response_type', { response_type: undefined }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['repeated state', { state: ['a', 'b'] }, 'invalid_request'],
    ['repeated scope', { scope: ['openid', 'email'] }, 'invalid_request'],
    ['scope with a forbidden character', { scope: 'openid "email' }, 'invalid_scope'],
    ['unknown prompt', { prompt: 'bogus' }, 'invalid_request'],
    ['prompt=none with login', { prompt: 'none login' }, 'invalid_request'],
    ['code_challenge without method (plain)', { code_challenge: CHALLENGE }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge: CHALLENGE, code_challenge_method: 'plain' }, 'invalid_request'],
    ['code_challenge_method without challenge', { code_challenge_method: 'S256' }, 'invalid_request'],
    ['code_challenge of the wrong length', { code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
    ['a request object', { request: 'eyJ...' }, 'request_not_supported'],
    ['a request_uri', { request_uri: 'urn:x' }, 'request_uri_not_supported'],
  ])('%s → %s', (_name, change, code) => {
    expect(parseAuthorizationRequest(query({ ...base, ...change })).problem?.code).toBe(code);
  });
});
