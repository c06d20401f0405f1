/**
 * Parameters of the project-domain OAuth endpoints, from a form (`application/x-www-form-urlencoded`) or a
 * JSON body (Stytch accepts both on the token endpoint). RFC 6749 §3.1/§3.2: a parameter sent more than
 * once is an `invalid_request`; an empty value counts as absent; unknown parameters are ignored.
 */
import type { Request } from 'express';
import { OAuthError } from '../errors.ts';

export function param(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `The ${name} parameter was sent more than once.`);
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `The ${name} parameter must be a string.`);
  return value;
}

export function requiredParam(req: Request, name: string): string {
  const value = param(req, name);
  if (value === undefined) throw new OAuthError('invalid_request', `The ${name} parameter is missing.`);
  return value;
}

/** A parameter that may be repeated (RFC 8707's `resource`): every non-empty value, in order. */
export function params(req: Request, name: string): string[] {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return [];
  const value = (body as Record<string, unknown>)[name];
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (values.some((v) => typeof v !== 'string')) throw new OAuthError('invalid_request', `Each ${name} parameter must be a string.`);
  return (values as string[]).filter((v) => v !== '');
}
