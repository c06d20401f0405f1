/** The one translation of SDK exceptions: nothing else in the app sees StytchError or RequestError. */
import { describe, expect, it } from 'vitest';
import { ClientError, RequestError, StytchError } from 'stytch';
import { oauthErrorFor } from '../../src/authorize/start.ts';
import { translateStytchError } from '../../src/stytch/errors.ts';

const stytchError = (status_code: number, error_type: string) =>
  new StytchError({ status_code, error_type, error_message: 'msg', request_id: 'request-id-test-1', error_url: '', error_details: undefined });

describe('translateStytchError', () => {
  it.each([
    ['connection refused', new RequestError('fetch failed', { method: 'POST', path: '/v1/x' } as never), {}, 'stytch_unavailable'],
    ['a 500', stytchError(500, 'internal_server_error'), {}, 'stytch_unavailable'],
    ['a 429', stytchError(429, 'too_many_requests'), {}, 'stytch_rate_limited'],
    ['bad project credentials', stytchError(401, 'unauthorized_credentials'), {}, 'stytch_misconfigured'],
    ['a wrong password (same type, user credentials)', stytchError(401, 'unauthorized_credentials'), { userCredentials: true }, 'stytch_rejected'],
    ['an unknown client', stytchError(404, 'connected_app_not_found'), {}, 'stytch_rejected'],
  ])('%s → %s', (_name, err, opts, code) => {
    expect(translateStytchError('op', err, opts).code).toBe(code);
  });

  it('keeps no reference to the request, whose headers hold the project secret', () => {
    const request = { headers: { Authorization: 'Basic c2VjcmV0' } };
    const translated = translateStytchError('op', new RequestError('fetch failed', request as never));
    expect(JSON.stringify(translated.toLog())).not.toContain('c2VjcmV0');
    expect(translated.cause).toBeUndefined();
  });

  it('does not mistake a local SDK error for a Stytch answer', () => {
    expect(() => translateStytchError('op', new ClientError('jwt_invalid', 'bad'))).toThrow(ClientError);
  });
});

/** Stytch's refusal of an authorization request → the RFC 6749 §4.1.2.1 (or RFC 8707 §2) code the client gets. */
describe('oauthErrorFor', () => {
  it.each([
    ['oauth_invalid_scope_requested', 'invalid_scope'],
    ['connected_app_not_allowed_for_org', 'access_denied'],
    ['pkce_required_for_idp_authorization_flow', 'invalid_request'],
    ['invalid_pkce_code_challenge', 'invalid_request'],
    // Regression: a resource Stytch refused reached the client as invalid_request.
    ['invalid_url', 'invalid_target'],
    ['anything_else', 'invalid_request'],
  ])('%s → %s', (errorType, code) => {
    expect(oauthErrorFor(translateStytchError('authorize', stytchError(400, errorType)))).toBe(code);
  });
});
