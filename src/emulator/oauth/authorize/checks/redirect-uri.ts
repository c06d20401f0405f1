import { isRegisteredRedirectUri } from '../../../../shared/redirect-uri.ts';
import type { ClientRecord } from '../../../clients/model.ts';
import type { EmulatorContext } from '../../../context.ts';
import { idpErrors } from '../errors.ts';

/**
 * RFC 9700 §4.1.3, RFC 6749 §4.1.2.1: exact match against the registered URLs, plus the loopback port wildcard of
 * RFC 8252 §7.3 (src/shared/redirect-uri.ts), else an API error, never a redirect.
 */
export function checkRedirectUri(ctx: EmulatorContext, client: ClientRecord, redirectUri: string): string {
  const localhostAnyPort = ctx.settings().localhost_redirect_any_port;
  if (!isRegisteredRedirectUri(client.redirect_urls, redirectUri, { localhostAnyPort })) throw idpErrors.redirectUriNotRegistered();
  return redirectUri;
}
