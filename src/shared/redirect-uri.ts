/**
 * Redirect URI matching, shared by the emulator (its authorize checks) and the auth-server (its error
 * redirects): simple string comparison against the registered list (RFC 3986 §6.2.1, RFC 9700 §4.1.3), no
 * prefix or pattern match, no case folding, no default-port or trailing-slash normalisation. One exception,
 * for native apps and CLI agents that listen on a random port:
 *
 * - A registered `http://127.0.0.1/…` or `http://[::1]/…` **without a port** matches that URL with any port,
 *   everything else (path, query) exactly. RFC 8252 §7.3; Stytch's CLI guide registers
 *   `http://127.0.0.1/callback` and says "Omitting a port in the redirect URL permits any port to be used"
 *   (https://stytch.com/docs/guides/connected-apps/cli-app). A registered port is matched exactly.
 * - `localhost`: Stytch documents nothing. GUESS, switchable with `localhostAnyPort` (the emulator's project
 *   setting `localhost_redirect_any_port`, default off): matched exactly, port included, because RFC 8252 §8.3
 *   recommends the IP literals over `localhost` and Stytch's guide promises the wildcard only for them.
 */

/** `http://<loopback host>[:port]<rest>`, the rest starting with `/`, `?` or nothing. */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?([/?].*)?$/;

export interface RedirectMatchOptions {
  /** GUESS, see above: `localhost` gets the loopback port wildcard too. */
  localhostAnyPort: boolean;
}

/** The registered URL this request URL would match by port wildcard: itself without its port. */
function withoutLoopbackPort(redirectUri: string, opts: RedirectMatchOptions): string | undefined {
  const m = LOOPBACK.exec(redirectUri);
  if (!m) return undefined;
  const [, host, port, rest = ''] = m;
  if (host === 'localhost' && !opts.localhostAnyPort) return undefined;
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) return undefined;
  return `http://${host}${rest}`;
}

export function isRegisteredRedirectUri(registered: readonly string[], redirectUri: string, opts: RedirectMatchOptions = { localhostAnyPort: false }): boolean {
  if (registered.includes(redirectUri)) return true;
  const portless = withoutLoopbackPort(redirectUri, opts);
  return portless !== undefined && registered.includes(portless);
}
