/** The mcp-server's configuration: defaults, the resource identifier, and one row per invalid value. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.ts';
import { loadConfig } from '../src/config.ts';

describe('mcp-server configuration', () => {
  it('defaults to the demo project on the emulator, port 3002, resource http://localhost:3002/mcp, local validation', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3002, resource: 'http://localhost:3002/mcp', tokenValidation: 'local' });
    expect(config.stytch).toMatchObject({ projectType: 'consumer', issuer: 'http://localhost:9010', isDemo: true });
  });

  it('takes the resource from the public URL, without a trailing slash', () => {
    expect(loadConfig({ MCP_SERVER_PUBLIC_URL: 'https://mcp.example.com/' }).resource).toBe('https://mcp.example.com/mcp');
  });

  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['a public URL with a path', { MCP_SERVER_PUBLIC_URL: 'https://mcp.example.com/api' }, /MCP_SERVER_PUBLIC_URL: must be an origin without a path/],
    ['an unknown validation mode', { MCP_SERVER_TOKEN_VALIDATION: 'jwt' }, /MCP_SERVER_TOKEN_VALIDATION: must be local \(JWKS\) or network \(introspection\)/],
    ['a project id without its domain', { STYTCH_PROJECT_ID: 'project-test-1', STYTCH_SECRET: 'x' }, /STYTCH_API_URL: required with your own project/],
    [
      'plain http to another host',
      { STYTCH_PROJECT_ID: 'project-test-1', STYTCH_SECRET: 'x', STYTCH_API_URL: 'http://stytch.internal' },
      /STYTCH_API_URL: plain http is only allowed on localhost/,
    ],
  ];
  it.each(invalid)('refuses %s, naming the variable', (_rule, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
