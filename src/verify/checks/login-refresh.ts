/**
 * Refresh: with `offline_access` the code exchange returns a refresh token, and a refresh returns a new access
 * token (and ID token) for the same person. Public clients get a new refresh token each time (rotation);
 * confidential ones keep theirs (ST-TOKEN). The refreshed ID token must keep `iss`, `sub` and `aud`
 * (OIDC Core §12.2), which openid-client does not compare.
 */
import * as oidc from 'openid-client';
import { isConfidential } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';
import { describeOidcError } from '../oidc.ts';
import { fail, pass, skip } from '../outcome.ts';
import type { Check } from '../types.ts';

export const loginRefresh: Check = {
  id: 'login.refresh',
  title: 'Refresh token grant',
  required: true,
  needs: ['login.id-token'],
  async run({ target, facts }) {
    const tokens = facts.tokens!;
    if (!target.scopes.includes('offline_access')) return skip('not run: offline_access was not requested, so there is no refresh token');
    if (!tokens.refresh_token) {
      return fail(
        `offline_access requested, but the token response has no refresh_token (granted scope "${tokens.scope ?? ''}")`,
        'offline_access must be granted: the consent page must include it, and the user must be allowed to grant it.',
        DASHBOARD.appAccess,
        { scope: tokens.scope },
      );
    }
    const before = tokens.claims();
    try {
      const refreshed = await oidc.refreshTokenGrant(facts.oidcConfig!, tokens.refresh_token);
      const after = refreshed.claims();
      const changed = before && after ? (['iss', 'sub', 'aud'] as const).filter((c) => JSON.stringify(before[c]) !== JSON.stringify(after[c])) : [];
      const rotated = Boolean(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
      facts.refreshToken = refreshed.refresh_token ?? tokens.refresh_token;
      const details = { rotated, id_token: Boolean(refreshed.id_token), changed_claims: changed };
      if (changed.length) {
        return fail(
          `the refreshed ID token changed ${changed.join(', ')}`,
          'A refreshed ID token must name the same issuer, person and client (OIDC Core §12.2).',
          DASHBOARD.projectDomain,
          details,
        );
      }
      const type = facts.client?.client_type;
      const expectation = type ? (isConfidential(type) ? ' (confidential: not rotated, as Stytch does)' : ' (public: rotated, as Stytch does)') : '';
      return pass(
        `new access token${refreshed.id_token ? ' and ID token (same iss, sub, aud)' : ''}; refresh token ${rotated ? 'rotated' : 'kept'}${expectation}`,
        details,
      );
    } catch (err) {
      const e = await describeOidcError(err);
      return fail(`refresh failed: ${e.message}`, 'The refresh token must be accepted by the same client with the same authentication method.', DASHBOARD.app, {
        error: e.oauthError ?? e.code,
        status: e.status,
      });
    }
  },
};
