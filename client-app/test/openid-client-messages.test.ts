/**
 * Contract: the openid-client message texts the client-app recognises (src/oidc/messages.ts) are the ones the
 * installed openid-client writes. An upgrade that changes one fails here, not silently in the error pages.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { classify } from '../src/errors.ts';
import { INVALID_RESPONSE_CHECKS, OPENID_CLIENT_VERSION } from '../src/oidc/messages.ts';

const require = createRequire(import.meta.url);
const openidClientEntry = require.resolve('openid-client');
const installedVersion = (JSON.parse(readFileSync(`${dirname(openidClientEntry)}/../package.json`, 'utf8')) as { version: string }).version;
// openid-client's response checks and their messages live in its dependency oauth4webapi.
const oauth4webapiSource = readFileSync(createRequire(openidClientEntry).resolve('oauth4webapi'), 'utf8');

describe('openid-client messages the client-app recognises by text', () => {
  it('were checked against the installed openid-client version', () => {
    expect(installedVersion, 'openid-client was upgraded: re-check the texts in client-app/src/oidc/messages.ts, then update OPENID_CLIENT_VERSION').toBe(
      OPENID_CLIENT_VERSION,
    );
  });

  it.each(INVALID_RESPONSE_CHECKS)('$check: the library still writes "$text"', ({ text }) => {
    expect(oauth4webapiSource).toContain(text);
  });

  // The callback checks run before any request, so the real library can be made to raise them here.
  const issuer = 'https://issuer.example';
  const config = new oidc.Configuration({ issuer, authorization_response_iss_parameter_supported: true }, 'client', undefined, oidc.None());
  const callback = async (query: string, expectedState: string) => {
    const err = await oidc.authorizationCodeGrant(config, new URL(`https://rp.example/cb?${query}`), { expectedState }).catch((e: unknown) => e);
    return (await classify(err)).key;
  };

  it.each([
    ['code=c&iss=https%3A%2F%2Fissuer.example', 'OAUTH_INVALID_RESPONSE:state-missing'],
    ['code=c&state=other&iss=https%3A%2F%2Fissuer.example', 'OAUTH_INVALID_RESPONSE:state-mismatch'],
    ['code=c&state=s', 'OAUTH_INVALID_RESPONSE:iss-param-missing'],
    ['code=c&state=s&iss=https%3A%2F%2Fevil.example', 'OAUTH_INVALID_RESPONSE:iss-param-mismatch'],
    // Stytch's default domain (Connected Apps FAQ): explained with its fix, a custom domain.
    ['code=c&state=s&iss=stytch.com%2Fproject-test-1', 'OAUTH_INVALID_RESPONSE:iss-default-domain'],
  ])('a callback with %s is classified as %s', async (query, key) => {
    expect(await callback(query, 's')).toBe(key);
  });
});
