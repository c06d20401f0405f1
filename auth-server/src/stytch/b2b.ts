/** The B2B adapter: `stytch.B2BClient`, members identified by `member_id` within an organization. */
import type { B2BClient, Member, Organization } from 'stytch';
import { authorizeRequestFields, startRequestFields, toClient, toScopes, type Person, type StytchBackend } from './backend.ts';
import { getClientRedirectUrls } from './connected-apps.ts';
import { callStytch, nullIfRejected } from './errors.ts';
import { LoginError } from '../login/errors.ts';

function person(member: Member, organization: Organization): Person {
  return {
    email: member.email_address,
    ...(member.name ? { name: member.name } : {}),
    organizationName: organization.organization_name,
    organizationSlug: organization.organization_slug,
  };
}

export function b2bBackend(client: B2BClient, opts: { sessionDurationMinutes: number; close(): Promise<void> }): StytchBackend {
  return {
    projectType: 'b2b',

    async loginWithPassword({ email, password, organization }) {
      if (!organization) throw new LoginError('organization_required');
      // Stytch accepts an organization slug wherever an organization_id is expected, so one lookup serves both.
      const { organization: org } = await callStytch('b2b.organizations.get', () => client.organizations.get({ organization_id: organization }));
      const organizationId = org.organization_id;
      const res = await callStytch(
        'b2b.passwords.authenticate',
        () =>
          client.passwords.authenticate({
            organization_id: organizationId,
            email_address: email,
            password,
            session_duration_minutes: opts.sessionDurationMinutes,
          }),
        { userCredentials: true },
      );
      // An organization that requires MFA answers with an intermediate session instead of a member session.
      if (!res.member_authenticated || !res.session_token) throw new LoginError('mfa_required');
      return {
        sessionToken: res.session_token,
        subject: { id: res.member_id, organizationId: res.organization_id },
        person: person(res.member, res.organization),
      };
    },

    async authenticateSession(sessionToken) {
      const res = await nullIfRejected(callStytch('b2b.sessions.authenticate', () => client.sessions.authenticate({ session_token: sessionToken })));
      return (
        res && {
          sessionToken: res.session_token || sessionToken,
          subject: { id: res.member.member_id, organizationId: res.organization.organization_id },
          person: person(res.member, res.organization),
        }
      );
    },

    async revokeSession(sessionToken) {
      await callStytch('b2b.sessions.revoke', () => client.sessions.revoke({ session_token: sessionToken }));
    },

    async authorizeStart(params, sessionToken) {
      const res = await callStytch('b2b.idp.oauth.authorizeStart', () =>
        client.idp.oauth.authorizeStart({ ...startRequestFields(params), session_token: sessionToken }),
      );
      return {
        subject: { id: res.member_id, organizationId: res.organization.organization_id },
        person: person(res.member, res.organization),
        client: toClient(res.client),
        consentRequired: res.consent_required,
        scopes: toScopes(res.scope_results),
      };
    },

    async authorize(params, sessionToken) {
      const res = await callStytch('b2b.idp.oauth.authorize', () =>
        client.idp.oauth.authorize({ ...authorizeRequestFields(params), session_token: sessionToken }),
      );
      return { redirectUri: res.redirect_uri };
    },

    getClientRedirectUrls: (clientId) => getClientRedirectUrls(client.connectedApp, clientId),
    close: opts.close,
  };
}
