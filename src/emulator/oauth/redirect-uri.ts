/**
 * Redirect URI matching (AS-1): simple string comparison against the registered list, as RFC
 * 3986 §6.2.1 and RFC 9700 §4.1.3 require. No prefix or pattern match, no case folding, no default-port or
 * trailing-slash normalisation.
 *
 * UNCONFIRMED (ST-GUESS-LOOPBACK-REDIRECT): whether Stytch lets a loopback redirect (`http://127.0.0.1/cb`) match
 * any port (RFC 8252 §7.3). The emulator does not: register the exact URL.
 */
import type { ClientRecord } from '../clients/model.ts';

export function isRegisteredRedirectUri(client: Pick<ClientRecord, 'redirect_urls'>, redirectUri: string): boolean {
  return client.redirect_urls.includes(redirectUri);
}
