/**
 * The session cookie's name and flags, in one place. The name is the app's own: the auth-server on
 * localhost:3000 uses `auth_sid`, and browsers share cookies across ports.
 */
export const SESSION_COOKIE = 'client_sid';

/** Secure only when served over https (behind a TLS-terminating proxy). */
export function isHttps(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === 'https:';
}

/** Options matching the ones the cookie was set with, so that clearing it works. */
export function sessionCookieOptions(publicUrl: string) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isHttps(publicUrl) };
}
