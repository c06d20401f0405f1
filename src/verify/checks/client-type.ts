/**
 * The client type decides everything about credentials: `first_party` and `third_party` are confidential (they
 * have a secret and must send it), `*_public` clients have none and must not send one (Stytch refuses a public
 * client that authenticates). Pasting a secret into a public client, or forgetting it in a confidential one, is the
 * most common mistake; a type chosen by accident cannot be changed afterwards, only recreated.
 */
import { isConfidential } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

export const clientType: Check = {
  id: 'client.type',
  title: 'Client type matches the presence of a secret',
  required: true,
  needs: ['client.exists'],
  async run({ target, facts }) {
    const app = facts.client!;
    const type = app.client_type;
    const confidential = isConfidential(type);
    const hasSecret = Boolean(target.clientSecret);
    const details = { client_type: type, confidential, secret_configured: hasSecret, expected_client_type: target.expectedClientType };
    if (target.expectedClientType && target.expectedClientType !== type) {
      return fail(
        `registered as ${type}, but you expected ${target.expectedClientType}`,
        `The type of a Connected App cannot be changed: create a new ${target.expectedClientType} app and use its client id (and secret).`,
        DASHBOARD.apps,
        details,
      );
    }
    if (!confidential && hasSecret) {
      return fail(
        `${type} is a public client, but a client secret is configured`,
        'Remove OIDC_CLIENT_SECRET and authenticate with "none" plus PKCE. If the app runs on a server and can keep a secret, create a confidential (first_party or third_party) app instead.',
        DASHBOARD.app,
        details,
      );
    }
    if (confidential && !hasSecret) {
      return fail(
        `${type} is a confidential client, but no client secret is configured`,
        "Set OIDC_CLIENT_SECRET to the app's secret (shown once, when it was created; rotate it to get a new one). If the app cannot keep a secret (browser, mobile, CLI, MCP), create a *_public app instead.",
        DASHBOARD.clientSecret,
        details,
      );
    }
    if (confidential && target.clientSecret) {
      const lastFour = target.clientSecret.slice(-4);
      if (app.client_secret_last_four && app.client_secret_last_four !== lastFour) {
        if (app.next_client_secret_last_four === lastFour) {
          return warn(
            `${type}; the configured secret is the new secret of a rotation that is not finished`,
            'Finish the rotation (Rotate › Complete) once every instance uses the new secret; until then both secrets work.',
            DASHBOARD.clientSecret,
            details,
          );
        }
        return fail(
          `${type}; the configured secret ends in …${lastFour}, the app's secret ends in …${app.client_secret_last_four}`,
          'Copy the current secret of this app (or rotate it to get a new one): the configured one belongs to another app or an old rotation.',
          DASHBOARD.clientSecret,
          details,
        );
      }
    }
    return pass(`${type}, ${confidential ? 'confidential: a secret is configured' : 'public: no secret, as it should be'}`, details);
  },
};
