import { OAuthError } from '../../../errors.ts';
import type { ClientRecord } from '../../../clients/model.ts';
import type { CodeRecord } from '../../codes.ts';

/**
 * AS-4 / cat. AS-12: a code is redeemed only by the client it was issued to. Checked before
 * anything else, so that another client can neither use nor burn (replay-revoke) someone else's code.
 */
export function checkCodeClient(code: CodeRecord, client: ClientRecord): void {
  if (code.client_id !== client.client_id)
    throw new OAuthError(400, 'invalid_grant', 'The authorization code is invalid, expired, or was issued to another client.');
}
