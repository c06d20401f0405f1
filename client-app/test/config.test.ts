/** Configuration: defaults, the three profile sources, and errors that name the variable and the fix. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.ts';
import { loadDemoSeed } from '../../src/shared/demo.ts';
import { loadClientAppConfig, profilesFor, type ClientAppConfig } from '../src/config.ts';

const profiles = (config: ClientAppConfig) => profilesFor(config, config.publicUrl ?? 'http://localhost:1');

function problems(env: Record<string, string>): string[] {
  try {
    loadClientAppConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadClientAppConfig', () => {
  it('with no variables: port 3001, embedded sessions, and the four demo clients of the Consumer seed on the local emulator', () => {
    const config = loadClientAppConfig({});
    expect(config).toMatchObject({ port: 3001, host: 'localhost', publicUrl: 'http://localhost:3001', logLevel: 'info', httpTimeoutMs: 10_000 });
    expect(config.session).toEqual({ secret: undefined, sqlitePath: '.data/client-app-sessions.db', redisUrl: undefined });
    const seed = loadDemoSeed('consumer', { clientAppUrl: 'http://localhost:3001', authServerUrl: 'http://localhost:3000' });
    const insight = seed.clients.find((c) => c.client_name === 'Insight Analytics')!;
    const mobile = seed.clients.find((c) => c.client_name === 'Acme Mobile')!;
    expect(profiles(config)).toEqual([
      expect.objectContaining({
        id: 'insight-analytics',
        label: 'Insight Analytics',
        issuer: 'http://localhost:9010',
        clientId: insight.client_id,
        clientSecret: insight.client_secret,
        authMethod: 'client_secret_basic',
        redirectUri: 'http://localhost:3001/callback',
      }),
      expect.objectContaining({
        id: 'acme-mobile',
        label: 'Acme Mobile',
        issuer: 'http://localhost:9010',
        clientId: mobile.client_id,
        clientSecret: undefined,
        authMethod: 'none',
        redirectUri: 'http://localhost:3001/callback',
      }),
      expect.objectContaining({ id: 'acme-dashboard', label: 'Acme Dashboard', authMethod: 'client_secret_basic' }),
      expect.objectContaining({ id: 'pocket-notes', label: 'Pocket Notes', authMethod: 'none' }),
    ]);
    expect(insight.redirect_urls).toContain('http://localhost:3001/callback');
  });

  it('derives redirect URIs from CLIENT_APP_PUBLIC_URL', () => {
    const config = loadClientAppConfig({ CLIENT_APP_PUBLIC_URL: 'https://rp.example.com/' });
    expect(config.publicUrl).toBe('https://rp.example.com');
    expect(profiles(config).map((p) => p.redirectUri)).toEqual(Array(4).fill('https://rp.example.com/callback'));
  });

  it('on port 0 the profiles wait for the public URL', () => {
    const config = loadClientAppConfig({ CLIENT_APP_PORT: '0' });
    expect(config.publicUrl).toBeUndefined();
    expect(profilesFor(config, 'http://localhost:4567')[0]?.redirectUri).toBe('http://localhost:4567/callback');
  });

  it('single-profile variables: a confidential client defaults to client_secret_basic, a public one to none', () => {
    const confidential = profiles(loadClientAppConfig({ OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'abc', OIDC_CLIENT_SECRET: 's3cret' }));
    expect(confidential).toEqual([
      expect.objectContaining({
        issuer: 'https://login.example.com',
        clientId: 'abc',
        authMethod: 'client_secret_basic',
        scopes: ['openid', 'email', 'profile', 'offline_access'],
      }),
    ]);
    const post = profiles(
      loadClientAppConfig({
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'abc',
        OIDC_CLIENT_SECRET: 's3cret',
        OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'client_secret_post',
        OIDC_SCOPES: 'openid email',
      }),
    );
    expect(post[0]).toMatchObject({ authMethod: 'client_secret_post', scopes: ['openid', 'email'] });
    const pub = profiles(
      loadClientAppConfig({ OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'abc', OIDC_REDIRECT_URI: 'https://rp.example.com/oidc/callback' }),
    );
    expect(pub[0]).toMatchObject({ authMethod: 'none', clientSecret: undefined, redirectUri: 'https://rp.example.com/oidc/callback' });
  });

  it('reads a profile file, with the secret from another variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-app-'));
    const file = join(dir, 'profiles.json');
    writeFileSync(
      file,
      JSON.stringify({
        profiles: [{ id: 'prod', label: 'Production', issuer: 'https://login.example.com', client_id: 'abc', client_secret_env: 'PROD_SECRET' }],
      }),
    );
    const config = loadClientAppConfig({ CLIENT_APP_PROFILES: file, PROD_SECRET: 'from-env' });
    expect(profiles(config)).toEqual([
      expect.objectContaining({ id: 'prod', label: 'Production', clientSecret: 'from-env', authMethod: 'client_secret_basic' }),
    ]);
  });

  it.each([
    [{ CLIENT_APP_PORT: 'abc' }, /^CLIENT_APP_PORT: must be a TCP port/],
    [{ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'x' }, /^OIDC_ISSUER: must be an absolute http\(s\) URL/],
    [{ OIDC_CLIENT_ID: 'x' }, /^OIDC_ISSUER: required when any OIDC_\* variable is set/],
    [{ OIDC_ISSUER: 'https://a.example' }, /^OIDC_CLIENT_ID: required/],
    [
      { OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 's', OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'none' },
      /public client.*but a client secret is set/,
    ],
    [{ OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'client_secret_basic' }, /no client secret is set/],
    [
      { OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'private_key_jwt' },
      /^OIDC_TOKEN_ENDPOINT_AUTH_METHOD: must be one of client_secret_basic, client_secret_post, none/,
    ],
    [{ OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'x' }, /plain http; only https issuers are allowed, except on localhost/],
    [{ OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_SCOPES: 'email' }, /scope must include "openid"/],
    [{ OIDC_ISSUER: 'https://a.example', OIDC_CLIENT_ID: 'x', OIDC_REDIRECT_URI: 'https://rp.example/cb' }, /redirect_uri must end with \/callback/],
    [{ CLIENT_APP_PROFILES: '/nonexistent/profiles.json' }, /^CLIENT_APP_PROFILES: cannot read \/nonexistent\/profiles.json: ENOENT/],
    [{ CLIENT_APP_PROFILES: '/x.json', OIDC_ISSUER: 'https://a.example' }, /CLIENT_APP_PROFILES and OIDC_ISSUER are both set/],
    [{ CLIENT_APP_SESSION_SECRET: 'short' }, /^CLIENT_APP_SESSION_SECRET: must be at least 32 characters/],
    [{ REDIS_URL: 'http://redis' }, /^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ OIDC_HTTP_TIMEOUT_MS: '5' }, /^OIDC_HTTP_TIMEOUT_MS: must be at least 100 ms/],
  ])('%o is refused with a message naming the variable', (env, message) => {
    expect(problems(env as Record<string, string>).some((p) => message.test(p))).toBe(true);
  });

  it('a profile file with mistakes names each one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-app-'));
    const file = join(dir, 'profiles.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'Bad Id', issuer: 'https://a.example', client_id: '' },
        { id: 'ok', issuer: 'https://a.example', client_id: 'x', extra: 1 },
      ]),
    );
    const found = problems({ CLIENT_APP_PROFILES: file });
    expect(found.join('\n')).toMatch(/0\.id must be lowercase letters/);
    expect(found.join('\n')).toMatch(/0\.client_id must not be empty/);
    expect(found.join('\n')).toMatch(/1.*extra/);
  });
});
