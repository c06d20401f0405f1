import { OAuthError } from '../../../errors.ts';
import type { CodeRecord } from '../../codes.ts';

/** AS-4 / cat. AS-13: the token request repeats the authorization request's redirect_uri exactly. */
export function checkCodeRedirectUri(code: CodeRecord, redirectUri: string | undefined): void {
  if (redirectUri === undefined) throw new OAuthError('invalid_request', 'The redirect_uri parameter is missing (the authorization request had one).');
  if (redirectUri !== code.redirect_uri) throw new OAuthError('invalid_grant', 'The redirect_uri does not match the one of the authorization request.');
}
