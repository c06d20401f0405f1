/**
 * The endpoints a Connected App calls after the browser comes back: token (code exchange, refresh), userinfo,
 * JWKS (ID token signatures), and revocation (logout). Each must be an absolute https URL (http only on
 * localhost), or openid-client refuses to call it.
 */
import { isLoopbackUrl } from '../../shared/config.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

const REQUIRED = ['token_endpoint', 'userinfo_endpoint', 'jwks_uri'] as const;

function problem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'missing';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))) return undefined;
  return `${value} is not https`;
}

export const discoveryEndpoints: Check = {
  id: 'discovery.endpoints',
  title: 'Token, userinfo and JWKS endpoints are advertised',
  required: true,
  needs: ['discovery.reachable'],
  async run({ facts }) {
    const doc = facts.discovery!.document;
    const details = Object.fromEntries([...REQUIRED, 'revocation_endpoint'].map((k) => [k, doc[k]]));
    const problems = REQUIRED.flatMap((key) => {
      const p = problem(doc[key]);
      return p ? [`${key} ${p}`] : [];
    });
    if (problems.length) {
      return fail(
        problems.join('; '),
        'STYTCH_API_URL must be the project domain, whose discovery document lists these endpoints; a proxy in front of it must not rewrite them.',
        DASHBOARD.projectDomain,
        details,
      );
    }
    const revocation = problem(doc.revocation_endpoint);
    if (revocation) {
      return warn(
        `token, userinfo and JWKS endpoints present; revocation_endpoint ${revocation}`,
        `Without revocation_endpoint, openid-client's tokenRevocation() cannot revoke tokens at logout; Stytch serves it at ${new URL('/v1/oauth2/revoke', String(doc.token_endpoint)).href}.`,
        undefined,
        details,
      );
    }
    return pass(REQUIRED.map((k) => `${k} ${String(doc[k])}`).join(', '), details);
  },
};
