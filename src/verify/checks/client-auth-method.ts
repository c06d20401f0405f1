/**
 * The token endpoint authentication method must be the one the client type needs: `none` for public clients,
 * `client_secret_basic` or `client_secret_post` for confidential ones. Leaving it unsaid is a trap with
 * openid-client v6: `discovery(issuer, clientId, secret)` with a bare secret picks `client_secret_post`, not Basic.
 */
import { isConfidential } from '../context.ts';
import type { AuthMethod } from '../input.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

/** What openid-client v6 uses when no ClientAuth is passed (build/index.js, Configuration constructor). */
export function effectiveAuthMethod(configured: AuthMethod | undefined, secret: string | undefined): AuthMethod {
  return configured ?? (secret ? 'client_secret_post' : 'none');
}

export const clientAuthMethod: Check = {
  id: 'client.auth-method',
  title: 'Token endpoint authentication method fits the client type',
  required: true,
  async run({ target, facts }) {
    const type = facts.client?.client_type;
    // Without the registration, the presence of a secret is the best guess of what the app believes it is.
    const confidential = type ? isConfidential(type) : Boolean(target.clientSecret);
    const method = effectiveAuthMethod(target.authMethod, target.clientSecret);
    const kind = type ?? (confidential ? 'a confidential client' : 'a public client');
    const supported = facts.discovery?.document.token_endpoint_auth_methods_supported;
    const details = { configured: target.authMethod ?? null, effective: method, client_type: type ?? null, token_endpoint_auth_methods_supported: supported };
    if (confidential && method === 'none') {
      return fail(
        `${kind} authenticating with "none"`,
        'Confidential clients must send their secret: set OIDC_TOKEN_ENDPOINT_AUTH_METHOD=client_secret_basic (or client_secret_post) and OIDC_CLIENT_SECRET.',
        DASHBOARD.clientSecret,
        details,
      );
    }
    if (!confidential && method !== 'none') {
      return fail(
        `${kind} authenticating with ${method}`,
        'Public clients have no secret: set OIDC_TOKEN_ENDPOINT_AUTH_METHOD=none, remove OIDC_CLIENT_SECRET, and use PKCE (openid-client: client.None()).',
        DASHBOARD.app,
        details,
      );
    }
    if (Array.isArray(supported) && !supported.includes(method)) {
      const seen = `${method} is not in token_endpoint_auth_methods_supported ${JSON.stringify(supported)}`;
      // Stytch's documented list names only the secret methods, yet public clients use "none" (ST-DISCOVERY).
      if (method === 'none')
        return warn(
          seen,
          'Public clients authenticate with "none" and PKCE; make sure your library does not refuse a method the issuer does not list.',
          undefined,
          details,
        );
      return fail(seen, `Use one of ${supported.join(', ')}.`, undefined, details);
    }
    if (!target.authMethod && confidential) {
      return warn(
        `not configured, so openid-client v6 uses client_secret_post (its default for a bare secret in discovery())`,
        'Say which method your app uses: set OIDC_TOKEN_ENDPOINT_AUTH_METHOD and pass client.ClientSecretBasic(secret) or client.ClientSecretPost(secret) to discovery(); Stytch accepts both.',
        undefined,
        details,
      );
    }
    return pass(`${kind} with ${method}`, details);
  },
};
