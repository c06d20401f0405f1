/**
 * Structured logging (pino) with a request id per request. Secrets and tokens are redacted by key,
 * and the request line never includes the query string (it carries codes and state).
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

declare global {
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
    }
  }
}

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'client_secret',
  'next_client_secret',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'session_token',
  'session_jwt',
  'token',
  'assertion',
  'csrf',
  'csrfToken',
];

/** `destination` defaults to stdout; the e2e harness passes a buffer per server to attach logs to failed tests. */
export function createLogger(name: string, level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`), ...SECRET_KEYS],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A short, non-reversible hint of a secret value for logs and UIs: the first characters and the length. */
export function redact(value: string | undefined | null, keep = 6): string {
  if (!value) return '(none)';
  if (value.length <= keep * 2) return `[redacted ${value.length} chars]`;
  return `${value.slice(0, keep)}…[${value.length} chars]`;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Assigns `req.id` (an incoming `X-Request-Id` if well-formed), a child logger, and logs each response. */
export function requestLogging(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = log.child({ reqId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      req.log[level]({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  };
}
