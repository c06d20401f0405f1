/**
 * Structured logging (pino) with a request id per request, and one redaction pass over everything logged.
 *
 * Redaction walks the whole object at any depth (pino's `redact` paths match fixed depths only): values under
 * secret-looking keys (tokens, secrets, passwords, cookies, Authorization, codes, PKCE verifiers, CSRF tokens),
 * and wherever they appear, JWTs, `Basic` / `Bearer` credentials and secret query parameters in URLs. A `code`
 * that reads as an error code (`err.code`: `ERR_…`, `ECONNRESET`, `invalid_grant`) or a number stays readable;
 * any other `code` is taken for an authorization code. The request line never includes the query string.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { pino, type DestinationStream, type Logger, type LoggerOptions, type LevelWithSilent } from 'pino';

export type { Logger };

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

const CENSOR = '[redacted]';

/** Key names, normalised to snake_case lower case, whose values are never logged. */
const SECRET_KEY = /(^|_)(authorization|cookie|password|passwd|secret|token|jwt|assertion|verifier|csrf|api_key|private_key|credentials?)$/;
/**
 * An error code: `ERR_PORT_IN_USE`, `ECONNREFUSED`, `OAUTH_…`, `invalid_grant`; upper case, or lower-case words
 * joined by `_`. A random authorization code (base64url or hex) is neither.
 */
const ERROR_CODE = /^(?:[A-Z][A-Z0-9_]*|[a-z]+(?:_[a-z0-9]+)+)$/;
const CODE_KEY = /^(code|authorization_code)$/;
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const AUTH_SCHEME = /\b(Basic|Bearer|DPoP)\s+[\w.~+/=-]+/gi;
const SECRET_PARAM =
  /([?&#](?:code|code_verifier|client_secret|access_token|refresh_token|id_token|token|session_token|session_jwt|password|state|assertion)=)[^&#\s"']*/gi;

function normaliseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

function scrubString(value: string): string {
  return value.replace(JWT, CENSOR).replace(AUTH_SCHEME, `$1 ${CENSOR}`).replace(SECRET_PARAM, `$1${CENSOR}`);
}

/** An Error as a plain object (type, message, stack, code and its own fields, cause), ready to be scrubbed. */
function errorObject(err: Error): Record<string, unknown> {
  return {
    type: err.name,
    message: err.message,
    ...(err.stack ? { stack: err.stack } : {}),
    ...Object.fromEntries(Object.entries(err)),
    ...(err.cause !== undefined ? { cause: err.cause } : {}),
  };
}

/** A copy of `value` with every secret replaced by `[redacted]`, at any depth; cycles become `[Circular]`. */
export function scrub(value: unknown, key = '', seen = new WeakSet<object>()): unknown {
  const name = normaliseKey(key);
  const present = value !== undefined && value !== null && value !== '';
  if (CODE_KEY.test(name)) {
    if (present && typeof value !== 'number' && !(typeof value === 'string' && ERROR_CODE.test(value))) return CENSOR;
  } else if (present && SECRET_KEY.test(name)) {
    return CENSOR;
  }
  if (typeof value === 'string') return scrubString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Error) return scrubEntries(errorObject(value), seen);
    if (value instanceof URL) return scrubString(value.href);
    if (value instanceof Date) return value;
    if (Array.isArray(value)) return value.map((item) => scrub(item, '', seen));
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return scrub(json.call(value), key, seen);
    return scrubEntries(value as Record<string, unknown>, seen);
  } finally {
    seen.delete(value);
  }
}

function scrubEntries(object: Record<string, unknown>, seen: WeakSet<object>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, scrub(v, k, seen)]));
}

const asRecord = (value: unknown) => value as Record<string, unknown>;

/** `destination` defaults to stdout; the e2e harness passes a buffer per server to attach logs to failed tests. */
export function createLogger(name: string, level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    name,
    level,
    // Every logged object passes through `scrub`. It serialises errors itself (so that their fields are
    // redacted too): pino's own error serializer is switched off.
    formatters: { log: (object) => asRecord(scrub(object)) },
    serializers: { err: (err: unknown) => err },
    hooks: {
      // Messages too: `log.error(err)` uses the error's message as the line's message.
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error && typeof rest[0] !== 'string') return method.apply(this, [{ err: first }, scrubString(first.message)] as never);
        return method.apply(this, args.map((a: unknown) => (typeof a === 'string' ? scrubString(a) : a)) as never);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // A child's bindings are serialised once, when it is made, and pino gives children no bindings formatter:
  // scrub them here. Children inherit this `child` (they are prototype copies of their parent).
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, asRecord(scrub(bindings)), childOptions);
  } as Logger['child'];
  return logger;
}

/** A short, non-reversible hint of a secret value for logs and UIs: the first characters and the length. */
export function redact(value: string | undefined | null, keep = 6): string {
  if (!value) return '(none)';
  if (value.length <= keep * 2) return `[redacted ${value.length} chars]`;
  return `${value.slice(0, keep)}…[${value.length} chars]`;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface RequestLoggingOptions {
  /** The request id, in the app's own format (default: a well-formed incoming `X-Request-Id`, or a UUID). */
  requestId?: (req: Request, res: Response) => string;
  /** Who the request authenticated as, read once it is answered (the emulator: `client_id` or `project_id`). */
  principal?: (res: Response) => Record<string, string> | undefined;
}

const MATCHED_ROUTE = Symbol('matched route');
const ROUTE_PATTERN = Symbol('route pattern');
const BASE_LOGGER = Symbol('base logger');
const CHILD_LOGGER = Symbol('child logger');

interface RequestState {
  id: string;
  baseUrl: string;
  [MATCHED_ROUTE]?: unknown;
  [ROUTE_PATTERN]?: string;
  [BASE_LOGGER]?: Logger;
  [CHILD_LOGGER]?: Logger;
}

/** Request prototypes that already have the accessors below. */
const prepared = new WeakSet<object>();

/**
 * Two accessors, defined once on the request's prototype (Express gives each app its own, `app.request`), each
 * keeping its values on the request: defined on every request object, they gave each one a hidden class of its
 * own, which cost ~20 µs of CPU per request in every app (a bare Express route: ~200 µs per request with the
 * logger, ~150 without).
 * - `req.route`: records the route pattern when Express assigns it, since only then is `req.baseUrl` the mount
 *   path of the matched route's router (an error handled after the router has left has lost it).
 * - `req.log`: the request's child logger, made when first read: most requests never log, and a child
 *   serialises its bindings when it is made.
 */
function prepareRequestPrototype(req: Request): void {
  const prototype = Object.getPrototypeOf(req) as object;
  if (prepared.has(prototype)) return;
  prepared.add(prototype);
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: true,
    get(this: RequestState) {
      return this[MATCHED_ROUTE];
    },
    set(this: RequestState, value: { path?: unknown } | undefined) {
      this[MATCHED_ROUTE] = value;
      if (value) this[ROUTE_PATTERN] = `${this.baseUrl}${String(value.path)}`;
    },
  });
  Object.defineProperty(prototype, 'log', {
    configurable: true,
    enumerable: true,
    get(this: RequestState) {
      this[CHILD_LOGGER] ??= this[BASE_LOGGER]?.child({ reqId: this.id });
      return this[CHILD_LOGGER];
    },
    set(this: RequestState, value: Logger) {
      this[CHILD_LOGGER] = value;
    },
  });
}

/**
 * Assigns `req.id` and a child logger, and logs one line per response: method, route pattern (`null` when no
 * route matched), path without the query, status, duration, and the principal when known.
 */
export function requestLogging(log: Logger, options: RequestLoggingOptions = {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    req.id = options.requestId?.(req, res) ?? (incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID());
    prepareRequestPrototype(req);
    (req as Request & RequestState)[BASE_LOGGER] = log;
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      // Below the level (the benchmark runs at warn), nothing to build, not even the child logger.
      if (!((req as Request & RequestState)[CHILD_LOGGER] ?? log).isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (req as Request & RequestState)[ROUTE_PATTERN] ?? null;
      // The whole path: `req.path` is relative to the mount point while a mounted router still holds the request.
      const path = req.originalUrl.split('?', 1)[0];
      req.log[level]({ method: req.method, route, path, status: res.statusCode, ms: Math.round(ms), ...options.principal?.(res) }, 'request');
    });
    next();
  };
}
