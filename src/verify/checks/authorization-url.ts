/**
 * The Authorization URL is the team's own page, so Stytch cannot tell whether it is deployed. A Connected App's
 * login starts with a browser GET to it; it should answer with its login or consent page (200) or a redirect to its
 * login (302/303). This sends the request a Connected App would send (with PKCE), without following redirects.
 */
import * as oidc from 'openid-client';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const authorizationUrlAnswers: Check = {
  id: 'authorization-url.answers',
  title: 'Authorization URL answers (200 or a redirect to login)',
  required: true,
  needs: ['discovery.authorization-endpoint'],
  async run(ctx) {
    const { target, facts } = ctx;
    const endpoint = String(facts.discovery!.document.authorization_endpoint);
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      ...Object.fromEntries(url.searchParams),
      response_type: 'code',
      client_id: target.clientId,
      redirect_uri: target.redirectUri,
      scope: target.scopes.join(' '),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).toString();
    const res = await ctx.http(url, { headers: { accept: 'text/html' } });
    const details = { authorization_endpoint: endpoint, status: res.status, location: res.headers.get('location') ?? undefined };
    if (res.error) {
      return fail(
        `GET ${endpoint}: ${res.error}`,
        'Deploy the page at the Authorization URL (or correct the URL): Connected Apps send people there to log in.',
        DASHBOARD.authorizationUrl,
        details,
      );
    }
    if (res.status === 200) return pass(`GET ${endpoint} → 200`, details);
    if (res.status === 302 || res.status === 303 || res.status === 307) {
      const location = res.headers.get('location') ?? '';
      const back = new URL(location, url);
      if (location && back.href.startsWith(target.redirectUri) && back.searchParams.get('error')) {
        return fail(
          `GET ${endpoint} → ${res.status} straight back to the redirect_uri with error=${back.searchParams.get('error')}${back.searchParams.get('error_description') ? ` (${back.searchParams.get('error_description')})` : ''}`,
          'The Authorization URL refused the request before any login; its error says why (often the client id or redirect_uri).',
          DASHBOARD.authorizationUrl,
          details,
        );
      }
      return pass(`GET ${endpoint} → ${res.status} to ${back.origin}${back.pathname}`, details);
    }
    return fail(
      `GET ${endpoint} → ${res.status}`,
      res.status === 404
        ? 'Nothing is served at this path: deploy your authorize page there, or set the Authorization URL to where it is.'
        : 'The page at the Authorization URL must answer a valid authorization request with its login page (200) or a redirect to it.',
      DASHBOARD.authorizationUrl,
      details,
    );
  },
};
