/**
 * The MCP endpoint's guard (RFC 6750 §3, RFC 9728 §5.1, MCP authorization spec):
 *
 * - no token: 401 `WWW-Authenticate: Bearer resource_metadata="…", scope="…"` (no `error`, as RFC 6750
 *   §3.1 says for a request that carried no credentials). `scope` is what a client should ask for first
 *   (MCP's scope selection, SEP-835, reads it before the metadata's `scopes_supported`);
 * - a token that fails validation: the same challenge with `error="invalid_token"` and a description that
 *   says what to fix (expired, another resource, another issuer…);
 * - a valid token calling a tool whose scope it lacks: 403 `error="insufficient_scope"` with `scope` = the
 *   token's scopes plus the missing one, so that the client's step-up asks for all it needs at once instead
 *   of trading one scope for another.
 *
 * The SDK's `requireBearerAuth` puts one scope list in both challenges; MCP's scope selection needs two
 * different ones (what to ask first, what this tool lacks), so the guard is written here, with the SDK's
 * verifier interface and error classes. The validated `AuthInfo` goes on `req.auth`, where the SDK's
 * transport hands it to the tools.
 */
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { InsufficientScopeError, InvalidTokenError, OAuthError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthInfo;
  }
}

export interface BearerOptions {
  verifier: OAuthTokenVerifier;
  /** The RFC 9728 metadata URL of this resource, named in every challenge. */
  resourceMetadataUrl: string;
  /** The scopes a client without a token should ask for. */
  initialScopes: readonly string[];
  /** The scope each tool needs (none: any valid token). */
  toolScopes: Readonly<Record<string, string | undefined>>;
}

/** A quoted-string of RFC 9110 §5.6.4: our values never contain `"` or `\`, but a description might. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, "'")}"`;

function challenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${quoted(v)}`);
  return `Bearer ${parts.join(', ')}`;
}

/** The scopes the tool calls of a JSON-RPC message (or batch) need. */
function scopesNeeded(body: unknown, toolScopes: BearerOptions['toolScopes']): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const needed = new Set<string>();
  for (const m of messages) {
    if (m && typeof m === 'object' && (m as { method?: unknown }).method === 'tools/call') {
      const name = (m as { params?: { name?: unknown } }).params?.name;
      const scope = typeof name === 'string' ? toolScopes[name] : undefined;
      if (scope) needed.add(scope);
    }
  }
  return [...needed];
}

export function requireMcpBearer(options: BearerOptions): RequestHandler {
  const { verifier, resourceMetadataUrl } = options;
  const initialScope = options.initialScopes.join(' ');
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    try {
      if (!header) {
        res.set('WWW-Authenticate', challenge({ resource_metadata: resourceMetadataUrl, scope: initialScope }));
        // No error code for a request without credentials (RFC 6750 §3.1), in the body either.
        res.status(401).json({ error_description: 'This MCP server needs an access token (Authorization: Bearer …)', resource_metadata: resourceMetadataUrl });
        return;
      }
      const [type, token, extra] = header.split(' ');
      if (type?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
        throw new InvalidTokenError('The Authorization header must be: Bearer <access token>');
      }
      const auth = await verifier.verifyAccessToken(token);
      const missing = scopesNeeded(req.body, options.toolScopes).filter((s) => !auth.scopes.includes(s));
      if (missing.length > 0) {
        const scope = [...new Set([...auth.scopes, ...missing])].join(' ');
        const description = `This tool needs the scope ${missing.join(' ')}, which the access token lacks: authorize again with scope "${scope}"`;
        res.set('WWW-Authenticate', challenge({ error: 'insufficient_scope', error_description: description, scope, resource_metadata: resourceMetadataUrl }));
        res.status(403).json(new InsufficientScopeError(description).toResponseObject());
        return;
      }
      req.auth = auth;
      next();
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        res.set(
          'WWW-Authenticate',
          challenge({ error: err.errorCode, error_description: err.message, scope: initialScope, resource_metadata: resourceMetadataUrl }),
        );
        res.status(401).json(err.toResponseObject());
      } else if (err instanceof ServerError || !(err instanceof OAuthError)) {
        req.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'token validation failed');
        res.status(503).json(new ServerError('The access token could not be checked right now; try again').toResponseObject());
      } else {
        res.status(400).json(err.toResponseObject());
      }
    }
  };
}
