/** Configuration: defaults reach the demo emulator; a real project needs its domain; http only on loopback. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/shared/errors.ts';
import { loadDemoSeed } from '../../../src/shared/demo.ts';
import { loadConfig } from '../../src/config.ts';

const REAL = {
  STYTCH_PROJECT_ID: 'project-test-11111111-2222-4333-8444-555555555555',
  STYTCH_SECRET: 'secret-test-abc',
  STYTCH_API_URL: 'https://wise-fox-1234.customers.stytch.dev',
};

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('with no variables, uses the Consumer demo project on the local emulator', () => {
    const config = loadConfig({});
    const seed = loadDemoSeed('consumer');
    expect(config.port).toBe(3000);
    expect(config.sessionDb).toBe('.data/auth-server-sessions.db');
    expect(config.stytch).toMatchObject({
      projectType: 'consumer',
      projectId: seed.project.project_id,
      secret: seed.project.secret,
      apiUrl: 'http://localhost:9010/',
      issuer: 'http://localhost:9010',
      isDemo: true,
    });
  });

  it('with STYTCH_PROJECT_TYPE=b2b, uses the B2B demo project on :9011', () => {
    const config = loadConfig({ STYTCH_PROJECT_TYPE: 'b2b' });
    expect(config.stytch).toMatchObject({ projectType: 'b2b', projectId: loadDemoSeed('b2b').project.project_id, apiUrl: 'http://localhost:9011/' });
  });

  it('talks to a real project through its project domain, which is also the issuer', () => {
    const config = loadConfig(REAL);
    expect(config.stytch).toMatchObject({
      projectId: REAL.STYTCH_PROJECT_ID,
      apiUrl: 'https://wise-fox-1234.customers.stytch.dev/',
      issuer: 'https://wise-fox-1234.customers.stytch.dev',
      isDemo: false,
    });
  });

  it.each([
    ['a project id without a secret', { STYTCH_PROJECT_ID: REAL.STYTCH_PROJECT_ID, STYTCH_API_URL: REAL.STYTCH_API_URL }, /STYTCH_SECRET: required/],
    ['a secret without a project id', { STYTCH_SECRET: 'x', STYTCH_API_URL: REAL.STYTCH_API_URL }, /STYTCH_PROJECT_ID: required/],
    ['a real project without its domain', { STYTCH_PROJECT_ID: REAL.STYTCH_PROJECT_ID, STYTCH_SECRET: 'x' }, /STYTCH_API_URL: required.*project domain/],
    ['plain http to another host', { ...REAL, STYTCH_API_URL: 'http://stytch.internal:8080' }, /STYTCH_API_URL: plain http is only allowed on localhost/],
    ['a path the SDK would drop', { ...REAL, STYTCH_API_URL: 'https://x.customers.stytch.dev/prefix' }, /STYTCH_API_URL: must be an origin without a path/],
    ['a malformed project id', { ...REAL, STYTCH_PROJECT_ID: 'my-project' }, /STYTCH_PROJECT_ID: must look like project-test-/],
    ['an unknown project type', { STYTCH_PROJECT_TYPE: 'enterprise' }, /STYTCH_PROJECT_TYPE: must be consumer or b2b/],
    ['a short session secret', { AUTH_SERVER_SESSION_SECRET: 'short' }, /AUTH_SERVER_SESSION_SECRET: must be at least 32/],
    ['a bad port', { AUTH_SERVER_PORT: 'http' }, /AUTH_SERVER_PORT/],
  ])('refuses %s', (_name, env, message) => {
    expect(problemsOf(env)).toMatch(message);
  });

  it('allows plain http to another host only with the loudly named opt-in', () => {
    const config = loadConfig({ ...REAL, STYTCH_API_URL: 'http://stytch.internal:8080', DANGEROUSLY_ALLOW_HTTP_STYTCH_API: 'true' });
    expect(config.stytch.apiUrl).toBe('http://stytch.internal:8080/');
  });
});
