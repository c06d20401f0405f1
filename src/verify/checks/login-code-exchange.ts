/**
 * The code exchange, done by openid-client exactly as a Connected App does it: the full callback URL (so that state
 * and iss are checked), the PKCE verifier, the expected nonce, the configured client authentication, and ID-token
 * signatures verified. A refusal from the token endpoint fails here; a token response that arrives but does not
 * validate is reported by login.id-token, with what the token contained.
 */
import * as oidc from 'openid-client';
import { redact } from '../../shared/log.ts';
import type { Json } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { describeOidcError, openidConfiguration } from '../oidc.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const loginCodeExchange: Check = {
  id: 'login.code-exchange',
  title: 'Code exchange with PKCE (openid-client)',
  required: true,
  needs: ['login.authorization-response'],
  async run(ctx) {
    const { facts, target } = ctx;
    const { callbackUrl, state, nonce, codeVerifier } = facts.authorization!;
    const config = openidConfiguration(ctx);
    facts.oidcConfig = config;
    facts.rawTokenResponse = undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: target.scopes.includes('openid'),
      });
      facts.tokens = tokens;
      return pass(
        `token_type ${tokens.token_type}, expires_in ${tokens.expires_in ?? '?'} s, scope "${tokens.scope ?? ''}", access_token ${redact(tokens.access_token)}` +
          `${tokens.id_token ? ', id_token' : ''}${tokens.refresh_token ? ', refresh_token' : ''}`,
        {
          token_type: tokens.token_type,
          expires_in: tokens.expires_in,
          scope: tokens.scope,
          id_token: Boolean(tokens.id_token),
          refresh_token: Boolean(tokens.refresh_token),
        },
      );
    } catch (err) {
      const e = await describeOidcError(err);
      // Set by openidConfiguration's fetch during the call above (TypeScript cannot see that).
      const raw = facts.rawTokenResponse as Json | undefined;
      if (raw && typeof raw.access_token === 'string' && !e.oauthError) {
        // The token endpoint answered with tokens; what openid-client refused is the ID token (login.id-token says why).
        facts.tokenValidationError = { code: e.code, message: e.message };
        return pass(`the token endpoint issued tokens (scope "${String(raw.scope ?? '')}"); openid-client then refused the response: see login.id-token`, {
          scope: raw.scope,
        });
      }
      return fail(
        `the token endpoint answered ${e.message}`,
        e.oauthError === 'invalid_client'
          ? 'The client credentials were refused: see client.credentials.'
          : e.oauthError === 'invalid_grant'
            ? 'The code was refused: the redirect_uri, the PKCE verifier or the client must match the authorization request (Stytch binds the code to them).'
            : "See the error above; it comes from the token endpoint or from openid-client's checks of the callback URL.",
        DASHBOARD.app,
        { error: e.oauthError ?? e.code, status: e.status },
      );
    }
  },
};
