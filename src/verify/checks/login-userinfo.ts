/**
 * userinfo answers for the access token, about the same person: its `sub` must equal the ID token's (OIDC Core
 * §5.3.2; otherwise the response may be substituted). The comparison is made here rather than by openid-client,
 * so that a mismatch shows both values.
 */
import * as oidc from 'openid-client';
import { DASHBOARD } from '../dashboard.ts';
import { describeOidcError } from '../oidc.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const loginUserinfo: Check = {
  id: 'login.userinfo',
  title: 'userinfo sub equals the ID token sub',
  required: true,
  needs: ['login.id-token'],
  async run({ facts }) {
    const tokens = facts.tokens!;
    const sub = tokens.claims()?.sub;
    try {
      const info = await oidc.fetchUserInfo(facts.oidcConfig!, tokens.access_token, oidc.skipSubjectCheck);
      const claims = Object.keys(info).filter((k) => k !== 'sub' && k !== 'request_id' && k !== 'status_code');
      const details = { sub: info.sub, id_token_sub: sub ?? null, claims };
      if (sub !== undefined && info.sub !== sub) {
        return fail(
          `userinfo sub ${info.sub} ≠ ID token sub ${sub}`,
          "userinfo and the ID token must come from the same issuer for the same person: check that the userinfo_endpoint is the project's.",
          DASHBOARD.projectDomain,
          details,
        );
      }
      return pass(`sub ${info.sub}${sub ? ' (= ID token)' : ''}, claims: ${claims.join(', ') || 'none'}`, details);
    } catch (err) {
      const e = await describeOidcError(err);
      return fail(
        `userinfo failed: ${e.message}`,
        'The access token from the code exchange must be accepted at userinfo_endpoint (Bearer); check that both endpoints belong to the project domain.',
        DASHBOARD.projectDomain,
        {
          error: e.oauthError ?? e.code,
          status: e.status,
        },
      );
    }
  },
};
