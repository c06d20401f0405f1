/**
 * The one adapter for openid-client's message texts.
 *
 * openid-client 6 reports many different response and ID token checks under one code, `OAUTH_INVALID_RESPONSE`,
 * and tells them apart only in the message (written by its dependency oauth4webapi). Everything else the
 * client-app reads from openid-client is structured (`code`, `error`, the failed claim in `cause`). These texts
 * are matched here and nowhere else; test/openid-client-messages.test.ts pins them to the installed version,
 * so an upgrade that changes a text fails that test instead of silently losing an explanation.
 */

/** The openid-client version the texts below were checked against. */
export const OPENID_CLIENT_VERSION = '6.8.9';

/** Each check hidden behind `OAUTH_INVALID_RESPONSE`, and the text of openid-client's message that names it. */
export const INVALID_RESPONSE_CHECKS = [
  { check: 'state-missing', text: 'response parameter "state" missing' },
  { check: 'state-mismatch', text: 'unexpected "state" response parameter' },
  { check: 'iss-param-missing', text: 'response parameter "iss" (issuer) missing' },
  { check: 'iss-param-mismatch', text: 'unexpected "iss" (issuer) response parameter' },
  { check: 'signature', text: 'signature verification failed' },
  { check: 'alg', text: 'unexpected JWT "alg" header' },
  { check: 'claim-missing', text: 'claim missing' },
  { check: 'id-token-missing', text: '"id_token" property' },
] as const;

export type InvalidResponseCheck = (typeof INVALID_RESPONSE_CHECKS)[number]['check'];

/** Which check an `OAUTH_INVALID_RESPONSE` message reports, if it is one of the known ones. */
export function invalidResponseCheck(message: string): InvalidResponseCheck | undefined {
  return INVALID_RESPONSE_CHECKS.find(({ text }) => message.includes(text))?.check;
}

/** The claim a "JWT "nonce" (nonce) claim missing" message names. */
export function missingClaim(message: string): string | undefined {
  return /JWT "(\w+)"/.exec(message)?.[1];
}
