/**
 * The issuer the Connected App is configured with must be, character for character, the `issuer` of the
 * discovery document (OIDC Discovery §4.3; openid-client's `discovery()` refuses anything else), and it must be the
 * project domain `https://{project domain}`: that is the `iss` of Stytch's tokens and authorization responses. The
 * form `stytch.com/{project_id}`, which Stytch uses when called through test.stytch.com, is not a URL at all.
 */
import { isLoopbackUrl } from '../../shared/config.ts';
import { issuerMismatch } from '../compare.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const discoveryIssuer: Check = {
  id: 'discovery.issuer',
  title: 'Issuer is the project domain and matches the configured one exactly',
  required: true,
  needs: ['discovery.reachable'],
  async run({ target, facts }) {
    const { url, document } = facts.discovery!;
    const actual = String(document.issuer);
    if (!/^https?:\/\//.test(actual)) {
      return fail(
        `the document at ${url} says issuer "${actual}", which is not a URL (Stytch's form when called through its API host)`,
        'Point your app and your Stytch SDK at the project domain (https://{project domain}): discovery, tokens and authorization responses then all say the same issuer.',
        DASHBOARD.projectDomain,
        { issuer: actual },
      );
    }
    if (actual.startsWith('http:') && !isLoopbackUrl(actual)) {
      return fail(
        `issuer "${actual}" uses plain http`,
        'Serve the project domain over https; plain http is only acceptable on localhost.',
        DASHBOARD.projectDomain,
        { issuer: actual },
      );
    }
    const configured = target.issuer ?? target.apiUrl;
    if (!configured) {
      return fail(
        `no issuer is configured; the project says its issuer is "${actual}"`,
        `Set OIDC_ISSUER (and STYTCH_API_URL) to ${actual}.`,
        DASHBOARD.projectDomain,
        { issuer: actual },
      );
    }
    const why = issuerMismatch(configured, actual);
    if (why) {
      return fail(
        `configured issuer "${configured}" ≠ "${actual}": ${why}`,
        `Set OIDC_ISSUER to exactly ${actual} (openid-client compares the issuer as a string, and so does the iss check of every token).`,
        DASHBOARD.projectDomain,
        { configured, issuer: actual },
      );
    }
    if (target.apiUrl && target.apiUrl !== actual) {
      const apiWhy = issuerMismatch(target.apiUrl, actual);
      return fail(
        `the project domain ${target.apiUrl} states issuer "${actual}": ${apiWhy}`,
        `Use ${actual} as STYTCH_API_URL too, so that your backend SDK and your Connected App agree on the issuer.`,
        DASHBOARD.projectDomain,
        { apiUrl: target.apiUrl, issuer: actual },
      );
    }
    return pass(`"${actual}"`, { issuer: actual });
  },
};
