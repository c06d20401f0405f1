import { idpErrors } from '../errors.ts';

/**
 * Only the authorization code flow exists here. Absent or empty means `code`: Stytch defaults it "here and
 * server-side" because ChatGPT omits it (stytchauth/stytch-browser, packages/web/src/utils/idpHelpers.ts).
 */
export function checkResponseType(responseType: string | undefined): void {
  if (responseType && responseType !== 'code') throw idpErrors.unsupportedResponseType(responseType);
}
