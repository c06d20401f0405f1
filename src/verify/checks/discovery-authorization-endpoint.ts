/**
 * `authorization_endpoint` is the project's Authorization URL: the page of the team's own app that logs people in
 * and asks for consent (Stytch hosts no login page). Until it is set, Stytch answers discovery with
 * `authorization_endpoint_not_configured_for_project`, and no Connected App can start a login.
 */
import { isLoopbackUrl } from '../../shared/config.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, skip, warn } from '../outcome.ts';
import type { Check } from '../types.ts';
import { NOT_CONFIGURED } from './discovery-reachable.ts';

const FIX = "Set the Authorization URL to the page of your app that handles /oauth/authorize (logs the user in, shows consent, calls Stytch's authorize API).";

export const discoveryAuthorizationEndpoint: Check = {
  id: 'discovery.authorization-endpoint',
  title: 'Authorization URL is set (authorization_endpoint)',
  required: true,
  async run({ facts }) {
    if (facts.discoveryError?.errorType === NOT_CONFIGURED) {
      return fail(`Stytch answers ${NOT_CONFIGURED}`, FIX, DASHBOARD.authorizationUrl, { error_type: NOT_CONFIGURED });
    }
    if (!facts.discovery) return skip('not run: no discovery document');
    const value = facts.discovery.document.authorization_endpoint;
    if (typeof value !== 'string' || value === '') {
      return fail('the discovery document has no authorization_endpoint', FIX, DASHBOARD.authorizationUrl);
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fail(`authorization_endpoint is "${value}", not an absolute URL`, FIX, DASHBOARD.authorizationUrl, { authorization_endpoint: value });
    }
    if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
      return fail(
        `authorization_endpoint ${value} uses plain http`,
        'Serve the Authorization URL over https: it receives the login and the consent.',
        DASHBOARD.authorizationUrl,
        {
          authorization_endpoint: value,
        },
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return fail(`authorization_endpoint ${value} is not an http(s) URL`, FIX, DASHBOARD.authorizationUrl, { authorization_endpoint: value });
    }
    if (url.hash) {
      return warn(
        `authorization_endpoint ${value} has a #fragment (RFC 6749 §3.1 forbids it)`,
        'Remove the fragment from the Authorization URL.',
        DASHBOARD.authorizationUrl,
        {
          authorization_endpoint: value,
        },
      );
    }
    return pass(value, { authorization_endpoint: value });
  },
};
