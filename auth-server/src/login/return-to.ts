/**
 * Where to go after login. Only this server's own authorization endpoint is accepted, given as a relative
 * path: anything else (another host, `//host`, a backslash, a scheme, control characters, a path that
 * normalises elsewhere) falls back to the home page, so the login can never be used as an open redirect
 * (RFC 9700 §4.11).
 */
export const AUTHORIZE_PATH = '/oauth/authorize';
export const SAFE_DEFAULT = '/';

const PLACEHOLDER_ORIGIN = 'http://auth-server.invalid';

/** The normalised `path?query` when `value` is a safe return_to, otherwise `undefined`. */
export function parseReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 8192) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // Control characters could split a header; browsers read `\` as `/` in a path (`/\evil.example` is `//evil.example`).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\x00-\x1F\x7F]/.test(value)) return undefined;
  const path = value.split('?', 1)[0] ?? '';
  if (path.includes('\\')) return undefined;
  // The raw value must name the endpoint itself: `/oauth/authorizeX`, `/oauth/authorize/submit` and
  // `/oauth/./authorize` do not match here, and `/oauth/authorize/../x` is caught by the parsed check below.
  if (path !== AUTHORIZE_PATH) return undefined;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN || url.pathname !== AUTHORIZE_PATH || url.hash) return undefined;
  return `${url.pathname}${url.search}`;
}

export function safeReturnTo(value: unknown): string {
  return parseReturnTo(value) ?? SAFE_DEFAULT;
}

/**
 * A comparable form of an authorization URL: the same parameters give the same string however the browser
 * chose to percent-encode them on the way back from the login page.
 */
export function canonicalReturnTo(value: string): string | undefined {
  const parsed = parseReturnTo(value);
  if (!parsed) return undefined;
  const params = new URLSearchParams(new URL(parsed, PLACEHOLDER_ORIGIN).search);
  params.sort();
  return `${AUTHORIZE_PATH}?${params.toString()}`;
}
