/**
 * The scopes the app requests must exist in the project (`scopes_supported` lists the standard ones and the
 * custom scopes of the RBAC policy), `openid` must be among them for an ID token, `full_access` is for first-party
 * apps that are allowed it, and refresh tokens come only with `offline_access` (ST-SCOPES).
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

export const clientScopes: Check = {
  id: 'client.scopes',
  title: 'Requested scopes are allowed (offline_access when refresh is expected)',
  required: true,
  needs: ['discovery.reachable'],
  async run({ target, facts }) {
    const requested = target.scopes;
    const supported = facts.discovery!.document.scopes_supported;
    const app = facts.client;
    const details = { requested, scopes_supported: supported, expect_refresh: target.expectRefresh ?? null };
    if (!requested.includes('openid')) {
      return fail(
        `"${requested.join(' ')}" has no openid`,
        'Add openid to the scopes: without it there is no ID token, so no OpenID Connect login.',
        undefined,
        details,
      );
    }
    if (Array.isArray(supported)) {
      const unknown = requested.filter((s) => !supported.includes(s) && s !== 'full_access');
      if (unknown.length) {
        return fail(
          `${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length === 1 ? 'is not a scope' : 'are not scopes'} of this project (scopes_supported: ${supported.join(' ')})`,
          `Remove ${unknown.join(', ')} from OIDC_SCOPES, or define ${unknown.length === 1 ? 'it' : 'them'} as custom scopes in the project's RBAC policy.`,
          DASHBOARD.scopes,
          { ...details, unknown },
        );
      }
    }
    if (requested.includes('full_access') && app) {
      if (!app.client_type.startsWith('first_party')) {
        return fail(
          `full_access requested by a ${app.client_type} app`,
          'full_access is for first-party apps only: remove it from OIDC_SCOPES.',
          DASHBOARD.appAccess,
          details,
        );
      }
      if (!app.full_access_allowed) {
        return fail(
          'full_access requested, but the app is not allowed full access',
          'Allow full access for this app, or remove full_access from OIDC_SCOPES.',
          DASHBOARD.appAccess,
          details,
        );
      }
    }
    const offline = requested.includes('offline_access');
    if (target.expectRefresh === true && !offline) {
      return fail(
        `refresh tokens are expected, but "${requested.join(' ')}" has no offline_access`,
        'Add offline_access to OIDC_SCOPES: Stytch issues a refresh token only for it.',
        undefined,
        details,
      );
    }
    if (target.expectRefresh === false && offline) {
      return warn(
        'offline_access is requested, but refresh tokens are not expected',
        'Remove offline_access from OIDC_SCOPES: it asks the user for consent every time and yields a long-lived token you do not use.',
        undefined,
        details,
      );
    }
    const consentNote =
      offline && app && !(app.client_type.startsWith('first_party') && app.bypass_consent_for_offline_access)
        ? ' (offline_access always asks for consent)'
        : '';
    return pass(`"${requested.join(' ')}"${offline ? `, refresh tokens will be issued${consentNote}` : ', no refresh tokens (no offline_access)'}`, details);
  },
};
