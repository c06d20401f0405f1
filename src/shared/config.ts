/**
 * Configuration is read once, at the edge, from environment variables (and an optional `.env` file),
 * and validated into a typed object. Errors name each variable and say how to fix it.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

export type Env = Record<string, string | undefined>;

/** Loads `.env` from the working directory into `process.env`, once, without overriding real variables. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/**
 * Parses `env` with a zod object schema whose keys are variable names.
 * Empty strings count as unset, so `FOO=` in a `.env` file falls back to the default.
 */
export function parseEnv<S extends z.ZodObject>(app: string, schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    app,
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const got = typeof issue.path[0] === 'string' ? cleaned[issue.path[0]] : undefined;
      return `${name}: ${issue.message}${got === undefined ? ' (not set)' : ` (got "${got}")`}`;
    }),
  );
}

/** Reusable field types, each with a message that says what a valid value looks like. */
export const envField = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a TCP port number, e.g. 3000' })
      .int()
      .min(0, 'must be a TCP port number between 0 and 65535')
      .max(65535, 'must be a TCP port number between 0 and 65535')
      .default(fallback),
  url: (example: string) => z.url({ message: `must be an absolute http(s) URL, e.g. ${example}`, protocol: /^https?$/ }),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
};

/** True for http URLs on loopback, the only place where plain http is acceptable. */
export function isLoopbackUrl(url: string | URL): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}
