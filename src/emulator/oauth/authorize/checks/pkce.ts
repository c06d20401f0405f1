import { isPublicClient, type ClientRecord } from '../../../clients/model.ts';
import { isS256Challenge } from '../../pkce.ts';
import { idpErrors } from '../errors.ts';

/**
 * AS-5 at authorization: public clients must send a challenge; any challenge must have the shape
 * of an S256 one (Stytch's API has no code_challenge_method: S256 is implied).
 */
export function checkPkce(client: ClientRecord, codeChallenge: string | undefined): string | undefined {
  const challenge = codeChallenge === '' ? undefined : codeChallenge;
  if (challenge === undefined) {
    if (isPublicClient(client)) throw idpErrors.pkceRequired();
    return undefined;
  }
  if (!isS256Challenge(challenge)) throw idpErrors.invalidCodeChallenge();
  return challenge;
}
