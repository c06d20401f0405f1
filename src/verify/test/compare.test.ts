import { describe, expect, it } from 'vitest';
import { closest, issuerMismatch, urlDifferences } from '../compare.ts';

describe('urlDifferences: names what differs between a sent and a registered URL', () => {
  it.each([
    ['http://localhost:3001/callback/', 'http://localhost:3001/callback', ['a trailing slash that the registered one does not have']],
    ['http://localhost:3001/callback', 'http://localhost:3001/callback/', ['no trailing slash, but the registered one has one']],
    ['http://localhost:3001/Callback', 'http://localhost:3001/callback', ['path case: /Callback instead of /callback']],
    ['http://localhost:3002/callback', 'http://localhost:3001/callback', ['port 3002 instead of 3001']],
    ['https://localhost:3001/callback', 'http://localhost:3001/callback', ['scheme https instead of http']],
    [
      'http://127.0.0.1:3001/callback',
      'http://localhost:3001/callback',
      ['host 127.0.0.1 instead of localhost (both are this machine, but they are different strings)'],
    ],
    ['https://App.example.com/cb', 'https://app.example.com/cb', ['host case: App.example.com instead of app.example.com']],
    ['https://app.example.com/cb?x=1', 'https://app.example.com/cb', ['query ?x=1 that the registered one does not have']],
    ['https://app.example.com:443/cb', 'https://app.example.com/cb', ['the same URL written differently (e.g. a default port, or percent-encoding)']],
  ])('%s vs %s', (sent, registered, expected) => {
    expect(urlDifferences(sent, registered)).toEqual(expected);
  });

  it('is empty for the same string', () => {
    expect(urlDifferences('https://a.example/cb', 'https://a.example/cb')).toEqual([]);
  });
});

describe('closest: picks the registered value nearest to the one sent', () => {
  it('prefers the trailing-slash twin over an unrelated URL', () => {
    expect(closest('https://app.example.com/callback/', ['https://other.example.org/x', 'https://app.example.com/callback'])).toEqual({
      value: 'https://app.example.com/callback',
      differences: ['a trailing slash that the registered one does not have'],
    });
  });

  it('returns undefined when nothing is registered', () => {
    expect(closest('https://app.example.com/callback', [])).toBeUndefined();
  });
});

describe('issuerMismatch: explains why a configured issuer is not the discovered one', () => {
  const actual = 'https://cool-frog-1234.customers.stytch.dev';
  it.each([
    [actual, undefined],
    [`${actual}/`, 'a trailing slash that the issuer does not have'],
    ['stytch.com/project-test-123', 'is the issuer Stytch uses when called through test.stytch.com'],
    ['https://test.stytch.com/v1/public/project-test-123', "is Stytch's API host"],
    ['http://cool-frog-1234.customers.stytch.dev', 'scheme http instead of https'],
  ])('%s', (configured, expected) => {
    const why = issuerMismatch(configured, actual);
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(expected);
  });

  it('names localhost vs 127.0.0.1', () => {
    expect(issuerMismatch('http://127.0.0.1:9010', 'http://localhost:9010')).toBe(
      'host 127.0.0.1 instead of localhost (both are this machine, but they are different strings)',
    );
  });
});
