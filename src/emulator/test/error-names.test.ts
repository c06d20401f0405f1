/**
 * Every error the emulator can raise is named as Stytch names it. The Stytch API errors are typed by the
 * STYTCH_ERRORS table (a raise site cannot name a code outside it), so checking the table's keys against
 * Stytch's own list checks every raise site. The OAuth endpoints keep the RFC codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OAUTH_ERRORS, STYTCH_ERRORS, StytchApiError } from '../errors.ts';

const LIST = new URL('../stytch-error-types.txt', import.meta.url);
const text = readFileSync(LIST, 'utf8');
const stytchNames = new Set(text.split('\n').filter((line) => line && !line.startsWith('#')));

/** The one name of the emulator's own: a request it understands but does not implement. */
const EMULATOR_OWN = new Set(['not_supported_by_emulator']);

/**
 * RFC 6749 §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2, RFC 8707 §2. Where no RFC has a code, a Stytch name: its rate-limit
 * name (429 on the token endpoint), and registration while Dynamic Client Registration is off.
 */
const RFC_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_token',
  'insufficient_scope',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'invalid_client_metadata',
  'invalid_redirect_uri',
  'invalid_target',
]);
const STYTCH_NAMES_ON_OAUTH_ENDPOINTS = new Set(['too_many_requests', 'dynamic_client_registration_not_enabled']);

describe("the emulator's error names", () => {
  it('keeps the list of Stytch names with its source', () => {
    expect(text).toMatch(/^# Source: .*stytchauth\/stytch-browser/m);
    expect(stytchNames.size).toBeGreaterThan(800);
  });

  it.each(Object.keys(STYTCH_ERRORS))('%s is a Stytch error_type', (name) => {
    expect(stytchNames.has(name) || EMULATOR_OWN.has(name), `${name} is not in stytch-error-types.txt`).toBe(true);
  });

  it('gives every Stytch API error a 4xx or 5xx status, carried by the error', () => {
    for (const [name, { status }] of Object.entries(STYTCH_ERRORS)) {
      expect(status, name).toBeGreaterThanOrEqual(400);
      expect(status, name).toBeLessThan(600);
    }
    expect(new StytchApiError('connected_app_supplied_redirect_url_not_found_in_client', 'x').status).toBe(401);
  });

  it.each(Object.entries(OAUTH_ERRORS))('OAuth endpoints: %s answers an RFC error code, or a Stytch name where there is none', (_kind, { error }) => {
    expect(RFC_CODES.has(error) || (STYTCH_NAMES_ON_OAUTH_ENDPOINTS.has(error) && stytchNames.has(error))).toBe(true);
  });
});
