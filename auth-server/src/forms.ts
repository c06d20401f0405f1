import type { Request } from 'express';

/** One string field of a urlencoded form body; a missing, repeated or non-string field is `undefined`. */
export function formField(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
