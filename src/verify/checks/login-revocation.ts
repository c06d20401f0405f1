/**
 * Revocation (RFC 7009) is what logout does. Revoking the refresh token must succeed, and afterwards the token must
 * no longer work: a refresh with it fails with invalid_grant. Without a refresh token, the access token is revoked
 * and, when the project offers introspection, shown inactive.
 */
import * as oidc from 'openid-client';
import { DASHBOARD } from '../dashboard.ts';
import { describeOidcError } from '../oidc.ts';
import { fail, pass, skip } from '../outcome.ts';
import type { Check } from '../types.ts';

export const loginRevocation: Check = {
  id: 'login.revocation',
  title: 'Token revocation',
  required: true,
  needs: ['login.code-exchange'],
  async run({ facts }) {
    const config = facts.oidcConfig!;
    if (!facts.discovery!.document.revocation_endpoint) return skip('not run: the discovery document has no revocation_endpoint (see discovery.endpoints)');
    const refresh = facts.refreshToken ?? facts.tokens?.refresh_token;
    const token = refresh ?? facts.tokens?.access_token ?? String(facts.rawTokenResponse?.access_token ?? '');
    const hint = refresh ? 'refresh_token' : 'access_token';
    try {
      await oidc.tokenRevocation(config, token, { token_type_hint: hint });
    } catch (err) {
      const e = await describeOidcError(err);
      return fail(
        `revoking the ${hint} failed: ${e.message}`,
        "Revocation must accept the client's own tokens with its authentication method.",
        DASHBOARD.app,
        { error: e.oauthError ?? e.code, status: e.status },
      );
    }
    if (refresh) {
      try {
        await oidc.refreshTokenGrant(config, refresh);
        return fail(
          'the refresh token still works after revocation',
          'Revocation must invalidate the refresh token (and the access tokens of its grant).',
          DASHBOARD.app,
          { token_type_hint: hint },
        );
      } catch (err) {
        const e = await describeOidcError(err);
        if (e.oauthError !== 'invalid_grant')
          return fail(
            `after revocation, a refresh answered ${e.message} instead of invalid_grant`,
            'A revoked refresh token must be refused with invalid_grant.',
            DASHBOARD.app,
            { error: e.oauthError ?? e.code },
          );
        return pass('refresh token revoked; a refresh with it is refused (invalid_grant)', { token_type_hint: hint });
      }
    }
    if (facts.discovery!.document.introspection_endpoint) {
      const info = await oidc.tokenIntrospection(config, token).catch(() => undefined);
      if (info?.active)
        return fail('the access token is still active after revocation', 'Revocation must deactivate the token.', DASHBOARD.app, { token_type_hint: hint });
      if (info) return pass('access token revoked; introspection says active: false', { token_type_hint: hint });
    }
    return pass('access token revocation accepted (200)', { token_type_hint: hint });
  },
};
