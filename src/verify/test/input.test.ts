import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/errors.ts';
import { DEFAULT_SCOPES, flagsToEnv, parseInput, targetsEmulator, UsageError } from '../input.ts';

describe('verify inputs: flags and environment variables, parsed once', () => {
  it('reads environment variables, and a flag wins over its variable', () => {
    const input = parseInput(['--client-id', 'connected-app-test-flag', '--scopes=openid email'], {
      OIDC_CLIENT_ID: 'connected-app-test-env',
      STYTCH_PROJECT_ID: 'project-test-abc',
      STYTCH_API_URL: 'https://cool-frog-1234.customers.stytch.dev/',
      VERIFY_EXPECT_REFRESH: 'true',
    });
    expect(input).toMatchObject({
      clientId: 'connected-app-test-flag',
      projectId: 'project-test-abc',
      apiUrl: 'https://cool-frog-1234.customers.stytch.dev',
      scopes: ['openid', 'email'],
      expectRefresh: true,
      expectDcr: undefined,
      login: true,
      timeoutMs: 10_000,
    });
  });

  it("defaults the scopes to the client-app's, and targets the emulator when no project is named", () => {
    const input = parseInput([], {});
    expect(input.scopes.join(' ')).toBe(DEFAULT_SCOPES);
    expect(targetsEmulator(input)).toBe(true);
  });

  it('takes boolean flags without a value', () => {
    expect(flagsToEnv(['--json', '--no-login', '--junit', 'out.xml'])).toEqual({ VERIFY_JSON: 'true', VERIFY_NO_LOGIN: 'true', VERIFY_JUNIT: 'out.xml' });
  });

  it.each([
    [['--nope'], UsageError, 'Unknown option --nope'],
    [['--client-id'], UsageError, '--client-id needs a value'],
    [['--json=yes'], UsageError, '--json takes no value'],
    [['stray'], UsageError, 'Unexpected argument "stray"'],
    [['--project-id', 'proj-123'], ConfigError, 'STYTCH_PROJECT_ID: must look like project-test-… or project-live-…'],
    [['--auth-method', 'private_key_jwt'], ConfigError, 'OIDC_TOKEN_ENDPOINT_AUTH_METHOD: must be one of client_secret_basic, client_secret_post, none'],
    [['--api-url', 'https://x.customers.stytch.dev/v1'], UsageError, 'must be the project domain without a path'],
    [['--user-email', 'a@example.com'], UsageError, 'set both for the live login, or neither'],
  ] as const)('%j is refused', (argv, type, message) => {
    expect(() => parseInput(argv, {})).toThrow(type);
    expect(() => parseInput(argv, {})).toThrow(message);
  });
});
