/**
 * The mcp-server's configuration: read once from the environment, validated, and turned into a typed object.
 *
 * With no variables at all it validates tokens of the local emulator's demo project (Consumer on :9010,
 * B2B on :9011). With STYTCH_PROJECT_ID, STYTCH_SECRET and STYTCH_API_URL=https://<project domain> it
 * validates tokens of your project.
 */
import { z } from 'zod';
import { envField, parseEnv, type Env } from '../../src/shared/config.ts';
import { DEFAULT_PORTS } from '../../src/shared/demo.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { resolveStytchProject, stytchProjectFields, type StytchProjectConfig } from '../../src/shared/stytch-project.ts';

/** Where the MCP endpoint lives on this server; the resource identifier is the public URL plus this path. */
export const MCP_PATH = '/mcp';

/**
 * How access tokens are validated (both through the `stytch` SDK):
 * - `local`: `idp.introspectTokenLocal`, the signature against the project's JWKS (fetched once, cached);
 * - `network`: `idp.introspectTokenNetwork`, Stytch's introspection endpoint, which also sees revocation.
 */
export type TokenValidation = 'local' | 'network';

export interface McpServerConfig {
  port: number;
  host: string;
  /** Base URL clients reach this server on (no trailing slash). */
  publicUrl: string;
  /** The canonical URL of the MCP endpoint: the RFC 8707 resource indicator tokens must be issued for. */
  resource: string;
  trustProxy: boolean;
  tokenValidation: TokenValidation;
  redisUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  stytch: StytchProjectConfig & { timeoutMs: number };
}

const schema = z.object({
  MCP_SERVER_PORT: envField.port(DEFAULT_PORTS.mcpServer),
  MCP_SERVER_HOST: z.string().default('localhost'),
  MCP_SERVER_PUBLIC_URL: envField.url('https://mcp.example.com').optional(),
  MCP_SERVER_TRUST_PROXY: envField.bool(false),
  MCP_SERVER_TOKEN_VALIDATION: z.enum(['local', 'network'], { message: 'must be local (JWKS) or network (introspection)' }).default('local'),
  REDIS_URL: z.url({ message: 'must be a redis:// or rediss:// URL', protocol: /^rediss?$/ }).optional(),
  LOG_LEVEL: envField.logLevel(),
  ...stytchProjectFields,
  STYTCH_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).max(120_000).default(10_000),
});

export function loadConfig(env: Env = process.env): McpServerConfig {
  const vars = parseEnv('mcp-server', schema, env);
  const problems: string[] = [];
  const project = resolveStytchProject(vars, problems);
  const publicUrl = (vars.MCP_SERVER_PUBLIC_URL ?? `http://${vars.MCP_SERVER_HOST}:${vars.MCP_SERVER_PORT}`).replace(/\/+$/, '');
  const url = new URL(publicUrl);
  if (url.pathname !== '/' || url.search || url.hash) {
    problems.push(`MCP_SERVER_PUBLIC_URL: must be an origin without a path; the endpoint is ${MCP_PATH} (got "${publicUrl}")`);
  }
  if (problems.length > 0) throw new ConfigError('mcp-server', problems);
  return {
    port: vars.MCP_SERVER_PORT,
    host: vars.MCP_SERVER_HOST,
    publicUrl,
    resource: `${publicUrl}${MCP_PATH}`,
    trustProxy: vars.MCP_SERVER_TRUST_PROXY,
    tokenValidation: vars.MCP_SERVER_TOKEN_VALIDATION,
    redisUrl: vars.REDIS_URL,
    logLevel: vars.LOG_LEVEL,
    stytch: { ...project, timeoutMs: vars.STYTCH_TIMEOUT_MS },
  };
}
