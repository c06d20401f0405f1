/**
 * The body of authorize/start and authorize (ST-IDP-AUTHORIZE), parsed once. Identity fields are
 * left to `resolveIdentity`; unknown fields are ignored, as Stytch passes them through.
 */
import { z } from 'zod';
import { parseOrBadRequest } from '../../clients/validate.ts';

const base = z.object({
  client_id: z.string().min(1, 'client_id is required'),
  redirect_uri: z.string().min(1, 'redirect_uri is required'),
  /** Stytch defaults an absent or empty one to `code` server-side (stytch-browser idpHelpers.ts says so). */
  response_type: z.string().optional(),
  scopes: z.array(z.string()),
  prompt: z.string().optional(),
});

export const authorizeStartSchema = base;
export const authorizeSubmitSchema = base.extend({
  consent_granted: z.boolean(),
  state: z.string().max(2048).optional(),
  nonce: z.string().max(2048).optional(),
  code_challenge: z.string().optional(),
  resources: z.array(z.string()).optional(),
});

export type AuthorizeStartRequest = z.infer<typeof authorizeStartSchema>;
export type AuthorizeSubmitRequest = z.infer<typeof authorizeSubmitSchema>;

export function parseStart(body: unknown): AuthorizeStartRequest {
  return parseOrBadRequest(authorizeStartSchema, body);
}

export function parseSubmit(body: unknown): AuthorizeSubmitRequest {
  return parseOrBadRequest(authorizeSubmitSchema, body);
}
