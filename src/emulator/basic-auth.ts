/**
 * HTTP Basic credentials, as RFC 6749 §2.3.1 and RFC 7617 define them: base64 of `id:secret`, where the
 * OAuth form additionally form-url-encodes id and secret (openid-client sends `connected%2Dapp%2D…`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorContext } from './context.ts';
import { StytchApiError } from './errors.ts';

export interface BasicCredentials {
  id: string;
  secret: string;
}

/** Parses `Authorization: Basic …`; `formDecode` applies the OAuth form-url-decoding. Undefined if absent or malformed. */
export function parseBasic(header: string | undefined, { formDecode }: { formDecode: boolean }): BasicCredentials | undefined {
  const match = /^Basic ([A-Za-z0-9+/=._~-]+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const raw = { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  if (!formDecode) return raw;
  try {
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: dec(raw.id), secret: dec(raw.secret) };
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of a presented secret with a stored SHA-256 hash (hex). */
export function secretMatches(presented: string, storedSha256Hex: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = Buffer.from(storedSha256Hex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Guards the backend API: `Authorization: Basic base64(project_id:secret)`, or Stytch's 401. */
export function requireProjectAuth(ctx: EmulatorContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const creds = parseBasic(req.get('authorization'), { formDecode: false });
    if (!creds || creds.id !== ctx.projectId || !ctx.checkSecret(creds.secret)) {
      next(new StytchApiError('unauthorized_credentials', 'Unauthorized credentials. Check the project_id and secret (Basic auth) for this project.'));
      return;
    }
    res.locals.principal = { project_id: ctx.projectId };
    next();
  };
}
