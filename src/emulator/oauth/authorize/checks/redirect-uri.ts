import type { ClientRecord } from '../../../clients/model.ts';
import { isRegisteredRedirectUri } from '../../redirect-uri.ts';
import { idpErrors } from '../errors.ts';

/** AS-1/AS-2: exact match against the registered URLs, else an API error, never a redirect. */
export function checkRedirectUri(client: ClientRecord, redirectUri: string): string {
  if (!isRegisteredRedirectUri(client, redirectUri)) throw idpErrors.redirectUriNotRegistered();
  return redirectUri;
}
