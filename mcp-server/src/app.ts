/**
 * The mcp-server as a factory: `createApp(config)` builds the token verifier, the RFC 9728 metadata and the
 * Streamable HTTP endpoint, and returns the Express app with a `close()`. `main.ts` listens; tests and the
 * stack launcher start it in-process on port 0.
 *
 * It is a resource server only (the MCP authorization spec's split, and Stytch's MCP guide): the project
 * domain is the authorization server, where clients register, sign people in and get tokens; this server
 * publishes where that is and validates the tokens it is shown.
 *
 * Streamable HTTP in stateless mode (one `McpServer` and transport per POST, as the SDK's
 * `simpleStatelessStreamableHttp` example does): nothing lives in memory between requests, so a restart
 * loses nothing and any number of instances can serve one client.
 */
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { metadataHandler } from '@modelcontextprotocol/sdk/server/auth/handlers/metadata.js';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ErrorRequestHandler, Express, Request, Response } from 'express';
import { createLogger, requestLogging, type Logger } from '../../src/shared/log.ts';
import { createRateLimiter, type RateLimitRule } from '../../src/shared/rate-limit.ts';
import { usesInsecureStytchApi } from '../../src/shared/stytch-project.ts';
import { requireMcpBearer } from './auth/bearer.ts';
import { stytchTokenVerifier } from './auth/verify-token.ts';
import { MCP_PATH, type McpServerConfig } from './config.ts';
import { INITIAL_SCOPES, registerTools, SCOPES_SUPPORTED, TOOL_SCOPES } from './tools.ts';

export const SERVER_NAME = 'stytch-connected-apps-demo-mcp';

/**
 * Requests refused for want of a valid token, per client IP: a client that keeps retrying without one (or with
 * a dead one) is slowed down with 429 and Retry-After instead of costing a validation each time.
 */
export const UNAUTHORIZED_LIMIT: RateLimitRule = { name: 'mcp-unauthorized', windowMs: 15 * 60_000, limit: 100, failuresOnly: true };

export interface McpServerApp {
  app: Express;
  log: Logger;
  /** The RFC 9728 document this server publishes. */
  metadata: OAuthProtectedResourceMetadata;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  log?: Logger;
  /** Overrides the limit on refused requests (tests use a small one). */
  unauthorizedLimit?: Partial<RateLimitRule>;
  /** Epoch-seconds clock for token expiry, injectable for tests. */
  now?: () => number;
}

/**
 * The SDK's MCP server and Streamable HTTP transport, imported at the first MCP request rather than at start:
 * they are ~110 ms of CPU (and their dependencies' memory) that starting the server, or a process whose MCP
 * endpoint is never called, need not pay. Loaded once, shared by every app of the process.
 */
const importProtocol = () => Promise.all([import('@modelcontextprotocol/sdk/server/mcp.js'), import('@modelcontextprotocol/sdk/server/streamableHttp.js')]);
let protocol: ReturnType<typeof importProtocol> | undefined;
const loadProtocol = () => (protocol ??= importProtocol());

const jsonRpcError = (res: Response, status: number, code: number, message: string) => {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
};

export async function createApp(config: McpServerConfig, options: CreateAppOptions = {}): Promise<McpServerApp> {
  const log = options.log ?? createLogger('mcp-server', config.logLevel);
  if (usesInsecureStytchApi(config.stytch)) {
    log.warn({ apiUrl: config.stytch.apiUrl }, 'DANGEROUSLY_ALLOW_HTTP_STYTCH_API is set: tokens are checked against a plain-http Stytch API');
  }
  const verifier = stytchTokenVerifier(config, log, options.now);
  const limiter = await createRateLimiter({
    app: 'mcp-server',
    redisUrl: config.redisUrl,
    log,
    onLimited: (_req, res, _next, info) => {
      res.json({ error: 'too_many_requests', error_description: `Too many requests without a valid access token; retry in ${info.retryAfterSeconds} s` });
    },
  });

  // RFC 9728 §2: `resource` is this server's canonical URL, the authorization server is the project domain.
  const metadata: OAuthProtectedResourceMetadata = {
    resource: config.resource,
    authorization_servers: [config.stytch.issuer],
    scopes_supported: [...SCOPES_SUPPORTED],
    bearer_methods_supported: ['header'],
    resource_name: 'Acme reports (sample MCP server)',
  };
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(config.resource));

  // DNS rebinding protection: only the host this server is published on (and loopback, for local tools).
  const app = createMcpExpressApp({ host: config.host, allowedHosts: [new URL(config.publicUrl).hostname, 'localhost', '127.0.0.1', '[::1]'] });
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.use(requestLogging(log));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', projectType: config.stytch.projectType, resource: config.resource });
  });
  // Both forms of RFC 9728 §3.1: the path-suffixed one for this endpoint, and the root one.
  app.use(new URL(resourceMetadataUrl).pathname, metadataHandler(metadata));
  app.use('/.well-known/oauth-protected-resource', metadataHandler(metadata));

  const guard = requireMcpBearer({ verifier, resourceMetadataUrl, initialScopes: INITIAL_SCOPES, toolScopes: TOOL_SCOPES });
  // Stateless: no server-initiated stream (GET) and no session to end (DELETE). Answered before the bearer check,
  // as the MCP transport spec allows (405 = "no SSE stream here"): a 401 would send a client with an expired
  // token to refresh once for the stream and once for its POST at the same time, and with a rotating refresh
  // token one of the two refreshes then fails (the SDK falls back to a new login).
  app.all(MCP_PATH, (req, res, next) => {
    if (req.method === 'POST') return next();
    res.set('Allow', 'POST');
    jsonRpcError(res, 405, -32000, 'Method not allowed: this stateless server answers POST only');
  });
  app.post(MCP_PATH, limiter.limit({ ...UNAUTHORIZED_LIMIT, ...options.unauthorizedLimit }), guard, async (req: Request, res: Response) => {
    const [{ McpServer }, { StreamableHTTPServerTransport }] = await loadProtocol();
    const server = new McpServer({ name: SERVER_NAME, version: '1.0.0' });
    registerTools(server);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', error_description: `Nothing here: the MCP endpoint is ${config.resource}` });
  });
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, req, res, _next) => {
    if (err.type === 'entity.parse.failed') return jsonRpcError(res, 400, -32700, 'Parse error: the body is not JSON');
    if (err.type === 'entity.too.large') return jsonRpcError(res, 413, -32600, 'Request too large');
    req.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'request failed');
    if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal error');
  };
  app.use(onError);

  return {
    app,
    log,
    metadata,
    close: async () => {
      await limiter.close();
      await verifier.close();
    },
  };
}
