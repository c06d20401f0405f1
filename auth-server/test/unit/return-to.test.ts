/** FE-4 / cat. FE-10: return_to only ever leads to this server's authorization endpoint. */
import { describe, expect, it } from 'vitest';
import { canonicalReturnTo, parseReturnTo, safeReturnTo, SAFE_DEFAULT } from '../../src/login/return-to.ts';

describe('return_to after login', () => {
  // The bypass list from cat. FE-10, plus a few more.
  it.each([
    ['absolute URL', 'https://evil.example'],
    ['absolute URL to an authorize path', 'https://evil.example/oauth/authorize?x=1'],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/oauth/authorize'],
    ['slash backslash', '/\\evil.example'],
    ['double backslash', '\\\\evil.example'],
    ['scheme without slashes', 'https:evil.example'],
    ['encoded slashes', '/%2F%2Fevil.example'],
    ['encoded backslash', '/%5Cevil.example'],
    ['javascript URL', 'javascript:alert(1)'],
    ['CRLF injection', '%0d%0aLocation: https://evil.example'],
    ['raw CRLF after the path', '/oauth/authorize?\r\nLocation: https://evil.example'],
    ['userinfo trick', 'http://localhost:3000@evil.example/'],
    ['host suffix trick', 'http://localhost:3000.evil.example/'],
    ['dot segments out of the endpoint', '/oauth/authorize/../../evil'],
    ['dot segments into the endpoint', '/oauth/./authorize?client_id=x'],
    ['another path on this server', '/login'],
    ['the submit endpoint', '/oauth/authorize/submit'],
    ['a longer path with the same prefix', '/oauth/authorizeX?client_id=x'],
    ['backslash in the path', '/oauth\\authorize?client_id=x'],
    ['a fragment', '/oauth/authorize#x'],
    ['empty', ''],
    ['not a string', ['/oauth/authorize']],
  ])('refuses %s', (_name, value) => {
    expect(parseReturnTo(value)).toBeUndefined();
    expect(safeReturnTo(value)).toBe(SAFE_DEFAULT);
  });

  it.each([
    ['/oauth/authorize', '/oauth/authorize'],
    ['/oauth/authorize?client_id=c&state=%22%3E%3Cscript%3E', '/oauth/authorize?client_id=c&state=%22%3E%3Cscript%3E'],
    ['/oauth/authorize?redirect_uri=https://app.example/cb&scope=openid email', '/oauth/authorize?redirect_uri=https://app.example/cb&scope=openid%20email'],
  ])('accepts %s', (value, expected) => {
    expect(parseReturnTo(value)).toBe(expected);
  });

  it('compares authorization URLs however their parameters were encoded or ordered', () => {
    expect(canonicalReturnTo('/oauth/authorize?b=2&a=%5C')).toBe(canonicalReturnTo('/oauth/authorize?a=\\&b=2'));
    expect(canonicalReturnTo('/oauth/authorize?a=1')).not.toBe(canonicalReturnTo('/oauth/authorize?a=2'));
    expect(canonicalReturnTo('//evil.example')).toBeUndefined();
  });
});
