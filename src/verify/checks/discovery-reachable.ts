/**
 * The OpenID configuration is served at the project domain (OIDC Discovery 1.0 §4). Everything else an OIDC
 * library does starts from it, so later checks read it from `facts.discovery` instead of fetching it again.
 */
import { DASHBOARD } from '../dashboard.ts';
import type { VerifyContext } from '../context.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const NOT_CONFIGURED = 'authorization_endpoint_not_configured_for_project';

/** Where to look: the project domain; without one, Stytch's legacy per-project path on its API host. */
export function discoveryUrl({ target }: VerifyContext): string | undefined {
  if (target.apiUrl) return `${target.apiUrl}/.well-known/openid-configuration`;
  if (target.issuer && /^https?:\/\//.test(target.issuer)) return `${target.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  if (target.projectId) {
    const host = target.projectId.startsWith('project-live-') ? 'https://api.stytch.com' : 'https://test.stytch.com';
    return `${host}/v1/public/${target.projectId}/.well-known/openid-configuration`;
  }
  return undefined;
}

export const discoveryReachable: Check = {
  id: 'discovery.reachable',
  title: 'Discovery document is served by the project',
  required: true,
  async run(ctx) {
    const url = discoveryUrl(ctx);
    if (!url) {
      return fail(
        'no project domain, issuer or project id was given',
        'Set STYTCH_API_URL (--api-url) to your project domain, e.g. https://xxx-yyy-1234.customers.stytch.dev.',
        DASHBOARD.projectDomain,
      );
    }
    const res = await ctx.http(url, { headers: { accept: 'application/json' } });
    if (res.error) {
      return fail(`GET ${url}: ${res.error}`, 'Check STYTCH_API_URL: it must be your project domain, reachable from here.', DASHBOARD.projectDomain);
    }
    const body = res.json;
    if (res.status === 200 && body && typeof body.issuer === 'string') {
      ctx.facts.discovery = { url, document: body };
      return pass(`GET ${url} → 200, issuer "${body.issuer}"`, { url, issuer: body.issuer });
    }
    const errorType = typeof body?.error_type === 'string' ? body.error_type : typeof body?.error === 'string' ? body.error : undefined;
    const message =
      typeof body?.error_message === 'string' ? body.error_message : typeof body?.error_description === 'string' ? body.error_description : undefined;
    if (errorType) {
      ctx.facts.discoveryError = { url, status: res.status, errorType, message };
      if (errorType === NOT_CONFIGURED) {
        return fail(
          `GET ${url} → ${res.status} ${errorType}: Stytch serves no discovery document until the project has an Authorization URL`,
          'Set the Authorization URL: the page of your app that logs people in and asks for consent (e.g. https://app.example.com/oauth/authorize).',
          DASHBOARD.authorizationUrl,
          { url, status: res.status, error_type: errorType },
        );
      }
      return fail(
        `GET ${url} → ${res.status} ${errorType}${message ? `: ${message}` : ''}`,
        'Check STYTCH_API_URL and STYTCH_PROJECT_ID.',
        DASHBOARD.projectDomain,
        {
          url,
          status: res.status,
          error_type: errorType,
        },
      );
    }
    const location = res.headers.get('location');
    return fail(
      `GET ${url} → ${res.status}${location ? ` (redirect to ${location})` : body ? ', JSON without an issuer' : `, ${res.headers.get('content-type') ?? 'no content type'}`}`,
      'STYTCH_API_URL must be the project domain itself (the origin, no path), where Stytch serves /.well-known/openid-configuration.',
      DASHBOARD.projectDomain,
      { url, status: res.status },
    );
  },
};
