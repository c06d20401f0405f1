/**
 * Validation of the Connected Apps API (create / update), as Stytch does it, one rule per check, each with
 * Stytch's error name. Where Stytch names the error but does not document the exact rule, the rule is a
 * guess switched by a project setting (guesses.ts).
 *
 * Sources: the error names are Stytch's (stytch-error-types.txt); the client types and the first-party-only
 * fields are on the Create Connected App page
 * (https://stytch.com/docs/api-reference/consumer/api/connected-apps/clients/create-connected-app); redirect
 * URLs without a fragment are RFC 6749 §3.1.2; http only on loopback is RFC 8252 §7.3 and RFC 9700 §2.1.
 *
 * The seed is not checked against these rules: it is the project's own configuration (as the Dashboard),
 * and the container demo registers http://client-app:3001 on purpose.
 */
import type { z } from 'zod';
import type { EmulatorContext } from '../context.ts';
import { StytchApiError, type StytchErrorType } from '../errors.ts';
import { ACCESS_TOKEN_EXPIRY_MINUTES, CLIENT_TYPES, type ClientType } from './model.ts';

export function parseOrBadRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new StytchApiError('bad_request', `The request is invalid: ${problems.join('; ')}.`);
}

/** `client_type` must be one of Stytch's four (Create Connected App). */
export function checkClientType(type: unknown): ClientType {
  if (typeof type === 'string' && (CLIENT_TYPES as readonly string[]).includes(type)) return type as ClientType;
  throw new StytchApiError('invalid_connected_app_type', `client_type must be one of ${CLIENT_TYPES.join(', ')} (got ${JSON.stringify(type)}).`);
}

/** The `access_token_expiry_bounds` guess (guesses.ts). */
export function checkAccessTokenExpiry(ctx: EmulatorContext, minutes: number | undefined): void {
  if (minutes === undefined || !ctx.settings().access_token_expiry_bounds) return;
  const { min, max } = ACCESS_TOKEN_EXPIRY_MINUTES;
  if (minutes < min || minutes > max) {
    throw new StytchApiError('idp_invalid_access_token_expiry_minutes', `access_token_expiry_minutes must be between ${min} and ${max} (got ${minutes}).`);
  }
}

const LOOPBACK_IP = /^(127(\.\d{1,3}){3}|\[::1\])$/;

/** One redirect URL rule: the error it raises, and the check (undefined = fine). */
interface RedirectUrlRule {
  error: StytchErrorType;
  /** When the rule applies; always if absent. */
  when?: (ctx: EmulatorContext) => boolean;
  problem: (raw: string, url: URL | undefined) => string | undefined;
}

const isLive = (ctx: EmulatorContext) => ctx.idEnvironment === 'live' && ctx.settings().live_redirect_url_rules;

/** In order: the first rule a URL breaks is the error. */
export const REDIRECT_URL_RULES: readonly RedirectUrlRule[] = [
  {
    error: 'connected_app_redirect_url_must_include_scheme',
    problem: (raw, url) => (url ? undefined : `${raw} has no scheme: use an absolute URL such as https://app.example.com/callback`),
  },
  {
    // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
    error: 'connected_app_invalid_redirect_url',
    problem: (raw) => (raw.includes('#') ? `${raw} has a #fragment` : raw.length > 2048 ? 'a redirect URL is longer than 2048 characters' : undefined),
  },
  {
    error: 'connected_app_redirect_url_must_use_http_or_https_scheme',
    problem: (raw, url) =>
      url && url.protocol !== 'https:' && url.protocol !== 'http:' ? `${raw} uses ${url.protocol}: use https (or http on loopback)` : undefined,
  },
  {
    // RFC 8252 §7.3 / RFC 9700 §2.1: plain http only to the same machine.
    error: 'connected_app_redirect_url_http_scheme_must_use_loopback',
    problem: (raw, url) =>
      url?.protocol === 'http:' && url.hostname !== 'localhost' && !LOOPBACK_IP.test(url.hostname) ? `${raw} uses http off loopback: use https` : undefined,
  },
  {
    error: 'connected_app_redirect_url_cannot_use_localhost',
    when: isLive,
    problem: (raw, url) => (url?.hostname === 'localhost' ? `${raw} names localhost, which a live project does not accept` : undefined),
  },
  {
    error: 'connected_app_redirect_url_must_use_https_scheme',
    when: isLive,
    problem: (raw, url) => (url?.protocol === 'http:' ? `${raw} uses http, which a live project does not accept` : undefined),
  },
];

function parse(raw: string): URL | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw)) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** The redirect URLs of a create or update: each by the rules above, then no duplicates. */
export function checkRedirectUrls(ctx: EmulatorContext, urls: readonly string[] | undefined): void {
  if (!urls) return;
  for (const raw of urls) {
    const url = parse(raw);
    for (const rule of REDIRECT_URL_RULES) {
      if (rule.when && !rule.when(ctx)) continue;
      const problem = rule.problem(raw, url);
      if (problem) throw new StytchApiError(rule.error, `Invalid redirect URL: ${problem}.`);
    }
  }
  const duplicate = urls.find((u, i) => urls.indexOf(u) !== i);
  if (duplicate !== undefined) throw new StytchApiError('duplicate_redirect_url', `The redirect URL ${duplicate} is listed twice.`);
}
