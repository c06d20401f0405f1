/**
 * The last line of defence for "never print a secret or a token in full": before results leave the pipeline,
 * every string in them is searched for the secrets verify was given and the tokens it obtained, and each one found
 * is replaced by its redacted hint. Checks already avoid printing them; this catches an error message that quotes one.
 */
import { redact } from '../shared/log.ts';
import type { Facts, Target } from './context.ts';
import type { CheckResult } from './types.ts';

/** Shorter values are not worth hiding and would match ordinary text. */
const MIN_LENGTH = 8;

export function sensitiveValues(target: Target, facts: Facts): string[] {
  const raw = facts.rawTokenResponse;
  const values = [
    target.secret,
    target.clientSecret,
    target.user?.password,
    facts.tokens?.access_token,
    facts.tokens?.refresh_token,
    facts.tokens?.id_token,
    facts.refreshToken,
    facts.authorization?.codeVerifier,
    facts.authorization?.callbackUrl.searchParams.get('code') ?? undefined,
    ...(raw ? [raw.access_token, raw.refresh_token, raw.id_token] : []),
  ];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_LENGTH))].sort((a, b) => b.length - a.length);
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return secrets.reduce((text, secret) => text.split(secret).join(redact(secret)), value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, secrets)]));
  return value;
}

export function scrubResult(result: CheckResult, secrets: readonly string[]): CheckResult {
  return secrets.length ? (scrubValue(result, secrets) as CheckResult) : result;
}
