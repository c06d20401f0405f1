/** Redirect URI matching: exact, plus the loopback port wildcard (RFC 8252 §7.3, Stytch's CLI guide). */
import { describe, expect, it } from 'vitest';
import { isRegisteredRedirectUri } from '../redirect-uri.ts';

const REGISTERED = [
  'http://127.0.0.1/callback',
  'http://[::1]/callback',
  'http://127.0.0.1:8080/fixed',
  'http://localhost/cb',
  'http://localhost:3001/callback',
  'https://app.example/cb?tenant=1',
  'com.example.app:/oauth',
];

describe('isRegisteredRedirectUri', () => {
  it.each([
    ['an exact https match', 'https://app.example/cb?tenant=1', true],
    ['an exact custom-scheme match', 'com.example.app:/oauth', true],
    ['127.0.0.1 registered without a port, any port', 'http://127.0.0.1:53682/callback', true],
    ['[::1] registered without a port, any port', 'http://[::1]:1/callback', true],
    ['127.0.0.1 registered without a port, no port', 'http://127.0.0.1/callback', true],
    ['localhost registered with its port', 'http://localhost:3001/callback', true],
    // Negative rows: one rule each.
    ['a registered port is exact', 'http://127.0.0.1:9090/fixed', false],
    ['the path still matches exactly', 'http://127.0.0.1:53682/callback/', false],
    ['a query the registration does not have', 'http://127.0.0.1:53682/callback?x=1', false],
    ['https on a loopback registered as http', 'https://127.0.0.1:53682/callback', false],
    ['another loopback address', 'http://127.0.0.2:53682/callback', false],
    ['port 0', 'http://127.0.0.1:0/callback', false],
    ['a port above 65535', 'http://127.0.0.1:70000/callback', false],
    ['userinfo before the loopback host', 'http://evil@127.0.0.1:5000/callback', false],
    ['a host that starts like the loopback', 'http://127.0.0.1.evil.example:5000/callback', false],
    ['localhost: exact by default (GUESS)', 'http://localhost:4000/cb', false],
    ['a case difference', 'https://APP.example/cb?tenant=1', false],
    ['a trailing slash', 'https://app.example/cb/?tenant=1', false],
  ])('%s: %s → %s', (_rule, uri, expected) => {
    expect(isRegisteredRedirectUri(REGISTERED, uri)).toBe(expected);
  });

  it('localhost gets the wildcard only when switched on', () => {
    expect(isRegisteredRedirectUri(REGISTERED, 'http://localhost:4000/cb', { localhostAnyPort: true })).toBe(true);
    expect(isRegisteredRedirectUri(REGISTERED, 'http://localhost:4000/callback', { localhostAnyPort: true })).toBe(false);
  });
});
