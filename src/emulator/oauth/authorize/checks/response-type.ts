import { idpErrors } from '../errors.ts';

/** Only the authorization code flow exists here. */
export function checkResponseType(responseType: string): void {
  if (responseType !== 'code') throw idpErrors.unsupportedResponseType(responseType);
}
