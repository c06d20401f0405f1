/**
 * The redirect_uri the app sends must be registered for the client, character for character: scheme, host,
 * port, path, trailing slash and query (AS-1, RFC 9700 §4.1.3). When it is not, Stytch refuses the
 * login before any redirect, and the person sees an error page. This shows the registered value nearest to the one
 * sent, and what differs. The one exception is Stytch's own: a registered `http://127.0.0.1/…` or `http://[::1]/…`
 * without a port accepts any port (RFC 8252 §7.3, Stytch's CLI guide), matched as the emulator matches it.
 */
import { isLoopbackUrl } from '../../shared/config.ts';
import { isRegisteredRedirectUri } from '../../shared/redirect-uri.ts';
import { closest } from '../compare.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

export const clientRedirectUri: Check = {
  id: 'client.redirect-uri',
  title: 'redirect_uri is registered exactly',
  required: true,
  needs: ['client.exists'],
  async run({ target, facts }) {
    const sent = target.redirectUri;
    const registered = facts.client!.redirect_urls ?? [];
    const details = { redirect_uri: sent, registered };
    if (new URL(sent).hash) {
      return fail(
        `"${sent}" has a #fragment`,
        'Redirect URIs must not contain a fragment (RFC 6749 §3.1.2); remove it here and in the Dashboard.',
        DASHBOARD.redirectUrls,
        details,
      );
    }
    if (!isRegisteredRedirectUri(registered, sent)) {
      const near = closest(sent, registered);
      if (!near) {
        return fail(
          `"${sent}" is not registered; the app has no redirect URLs at all`,
          `Add ${sent} to the app's Redirect URLs.`,
          DASHBOARD.redirectUrls,
          details,
        );
      }
      return fail(
        `"${sent}" is not registered; closest registered: "${near.value}" (${near.differences.join('; ')})`,
        `Add ${sent} to the app's Redirect URLs exactly as your app sends it, or make your app send ${near.value}.`,
        DASHBOARD.redirectUrls,
        { ...details, closest: near.value, differences: near.differences },
      );
    }
    const url = new URL(sent);
    if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
      return warn(
        `"${sent}" is registered, but uses plain http`,
        'Use an https redirect URI outside localhost: the authorization code travels in it.',
        DASHBOARD.redirectUrls,
        details,
      );
    }
    if (!registered.includes(sent)) {
      const portless = registered.find((r) => isRegisteredRedirectUri([r], sent));
      return pass(`"${sent}" matches the port-less loopback registration "${portless}" (any port, RFC 8252 §7.3)`, details);
    }
    return pass(`"${sent}" is registered`, details);
  },
};
