/**
 * Proves the client credentials without a login: a token request with a made-up authorization code must be refused
 * with `invalid_grant` ("that code is not valid"), which the server only says after it has authenticated the
 * client. `invalid_client` means the client id, the secret or the authentication method is wrong. The request goes
 * through openid-client with the configured method, so it is exactly what the app will send.
 */
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { isConfidential } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { describeOidcError, openidConfiguration } from '../oidc.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';
import { effectiveAuthMethod } from './client-auth-method.ts';

export const clientCredentials: Check = {
  id: 'client.credentials',
  title: 'Client credentials are accepted by the token endpoint',
  required: true,
  needs: ['discovery.endpoints'],
  async run(ctx) {
    const { target, facts } = ctx;
    const method = effectiveAuthMethod(target.authMethod, target.clientSecret);
    const config = openidConfiguration(ctx);
    const details: Record<string, unknown> = { token_endpoint: facts.discovery!.document.token_endpoint, auth_method: method };
    try {
      await oidc.genericGrantRequest(config, 'authorization_code', {
        code: `verify-deliberately-invalid-${randomBytes(12).toString('hex')}`,
        redirect_uri: target.redirectUri,
        code_verifier: oidc.randomPKCECodeVerifier(),
      });
    } catch (err) {
      const e = await describeOidcError(err);
      Object.assign(details, { status: e.status, error: e.oauthError ?? e.code });
      if (e.oauthError === 'invalid_grant') {
        return pass(`${method}: a made-up code was refused with invalid_grant, so the client was authenticated`, details);
      }
      if (e.oauthError === 'invalid_client') {
        const type = facts.client?.client_type;
        let fix: string;
        if (type && !isConfidential(type) && target.clientSecret && method !== 'none')
          fix = 'This is a public client: remove the secret and authenticate with "none" (PKCE only).';
        else if (type && isConfidential(type) && !target.clientSecret) fix = 'This is a confidential client: set OIDC_CLIENT_SECRET to its secret.';
        else if (method === 'none')
          fix =
            'The client needs a secret (it is confidential), or the client id is wrong: check OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_TOKEN_ENDPOINT_AUTH_METHOD.';
        else
          fix =
            "The client id or the secret is wrong: copy both from the app's page (rotate the secret if it is lost), and check the environment (Test / Live).";
        return fail(`${method}: the token endpoint answered ${e.message}`, fix, DASHBOARD.clientSecret, details);
      }
      if (e.oauthError === 'unauthorized_client') {
        return fail(`${method}: ${e.message}`, 'The client may not use the authorization_code grant; check its type in the Dashboard.', DASHBOARD.app, details);
      }
      return fail(
        `${method}: expected invalid_grant, got ${e.message}`,
        "Check OIDC_ISSUER and that the token endpoint is Stytch's.",
        DASHBOARD.projectDomain,
        details,
      );
    }
    return fail(
      `${method}: the token endpoint issued tokens for a made-up authorization code`,
      'This is not a Stytch token endpoint behaving correctly: check OIDC_ISSUER and any proxy in front of the project domain.',
      DASHBOARD.projectDomain,
      details,
    );
  },
};
