/**
 * Bearer tokens at userinfo (RFC 6750): in the `Authorization` header, or `access_token` in a form body;
 * never both (400), never in the query string (refused: URLs end up in logs and Referer headers, RFC 6750 §2.3).
 * Failures carry `WWW-Authenticate: Bearer error="…"` (RFC 6750 §3).
 */
import type { Request } from 'express';
import { OAuthError, type OAuthErrorCode } from '../errors.ts';

export function bearerError(status: number, code: OAuthErrorCode, description: string): OAuthError {
  const quoted = description.replace(/["\\]/g, '');
  return new OAuthError(status, code, description, { 'WWW-Authenticate': `Bearer realm="stytch-emulator", error="${code}", error_description="${quoted}"` });
}

export function bearerToken(req: Request): string {
  if (typeof req.query.access_token !== 'undefined') {
    throw bearerError(400, 'invalid_request', 'Send the access token in the Authorization header, not in the URL.');
  }
  const header = req.get('authorization');
  const fromHeader = header !== undefined ? /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header)?.[1] : undefined;
  if (header !== undefined && fromHeader === undefined) throw bearerError(401, 'invalid_token', 'The Authorization header is not a Bearer token.');
  const body: unknown = req.body;
  const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).access_token : undefined;
  if (fromHeader !== undefined && fromBody !== undefined)
    throw bearerError(400, 'invalid_request', 'Send the access token once: in the header or in the body, not both.');
  const token = fromHeader ?? fromBody;
  if (typeof token !== 'string' || !token) throw bearerError(401, 'invalid_token', 'An access token is required.');
  return token;
}
