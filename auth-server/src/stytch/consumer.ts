/** The Consumer adapter: `stytch.Client`, users identified by `user_id`. */
import type { Client, User } from 'stytch';
import { authorizeRequestFields, startRequestFields, toClient, toScopes, type Person, type StytchBackend } from './backend.ts';
import { getClientRedirectUrls } from './connected-apps.ts';
import { callStytch, nullIfRejected } from './errors.ts';

function person(user: User): Person {
  const email = user.emails[0]?.email ?? '';
  const name = [user.name?.first_name, user.name?.last_name].filter(Boolean).join(' ');
  return { email, ...(name ? { name } : {}) };
}

export function consumerBackend(client: Client, opts: { sessionDurationMinutes: number; close(): Promise<void> }): StytchBackend {
  return {
    projectType: 'consumer',

    async loginWithPassword({ email, password }) {
      const res = await callStytch(
        'passwords.authenticate',
        // Without session_duration_minutes Stytch authenticates but creates no session.
        () => client.passwords.authenticate({ email, password, session_duration_minutes: opts.sessionDurationMinutes }),
        { userCredentials: true },
      );
      return { sessionToken: res.session_token, subject: { id: res.user_id }, person: person(res.user) };
    },

    async authenticateSession(sessionToken) {
      const res = await nullIfRejected(callStytch('sessions.authenticate', () => client.sessions.authenticate({ session_token: sessionToken })));
      return res && { sessionToken: res.session_token || sessionToken, subject: { id: res.user.user_id }, person: person(res.user) };
    },

    async revokeSession(sessionToken) {
      await callStytch('sessions.revoke', () => client.sessions.revoke({ session_token: sessionToken }));
    },

    async authorizeStart(params, sessionToken) {
      const res = await callStytch('idp.oauth.authorizeStart', () =>
        client.idp.oauth.authorizeStart({ ...startRequestFields(params), session_token: sessionToken }),
      );
      return {
        subject: { id: res.user_id },
        person: person(res.user),
        client: toClient(res.client),
        consentRequired: res.consent_required,
        scopes: toScopes(res.scope_results),
      };
    },

    async authorize(params, sessionToken) {
      const res = await callStytch('idp.oauth.authorize', () => client.idp.oauth.authorize({ ...authorizeRequestFields(params), session_token: sessionToken }));
      return { redirectUri: res.redirect_uri };
    },

    getClientRedirectUrls: (clientId) => getClientRedirectUrls(client.connectedApp, clientId),
    close: opts.close,
  };
}
