/**
 * One openid-client `Configuration` per profile, discovered lazily and cached.
 *
 * Lazily, so that the app starts (and shows a clear page) while a provider is down; a failed discovery is not
 * cached, so the next request tries again. Every security-relevant option is set here, in one place:
 * - the client authentication method is explicit (a bare secret would silently mean client_secret_post);
 * - `id_token_signed_response_alg: 'RS256'` is pinned, so a discovery document cannot widen accepted algorithms;
 * - `enableNonRepudiationChecks` makes openid-client verify ID token signatures (it skips them by default for
 *   tokens from the token endpoint, trusting TLS — and local providers have no TLS);
 * - plain http is allowed only for loopback issuers, with a warning.
 */
import * as oidc from 'openid-client';
import { isLoopbackUrl } from '../../../src/shared/config.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { RpError } from '../errors.ts';
import type { ClientProfile } from '../profiles.ts';

/** The only ID token signing algorithm accepted: what Stytch signs with. */
export const ID_TOKEN_ALG = 'RS256';

export type IssuerStatus = 'not discovered yet' | 'discovering' | 'ready' | 'failing';

const metadataCache = new WeakMap<oidc.Configuration, Readonly<oidc.ServerMetadata>>();

/**
 * The provider's metadata, read once per configuration: openid-client's `serverMetadata()` returns a deep copy
 * (structuredClone) on every call, and a callback asks for it several times. Discovery results never change.
 */
export function serverMetadataOf(config: oidc.Configuration): Readonly<oidc.ServerMetadata> {
  let metadata = metadataCache.get(config);
  if (!metadata) {
    metadata = Object.freeze(config.serverMetadata());
    metadataCache.set(config, metadata);
  }
  return metadata;
}

function clientAuthentication(profile: ClientProfile): oidc.ClientAuth {
  switch (profile.authMethod) {
    case 'client_secret_basic':
      return oidc.ClientSecretBasic(profile.clientSecret);
    case 'client_secret_post':
      return oidc.ClientSecretPost(profile.clientSecret);
    case 'none':
      return oidc.None();
  }
}

export interface IssuerRegistryOptions {
  timeoutMs: number;
  log: Logger;
  /** The fetch openid-client uses: the tracing fetch (inspector/trace.ts) over the app's transport. */
  fetch: oidc.CustomFetch;
}

export class IssuerRegistry {
  private readonly cache = new Map<string, Promise<oidc.Configuration>>();
  private readonly state = new Map<string, IssuerStatus>();
  private readonly warned = new Set<string>();

  constructor(private readonly options: IssuerRegistryOptions) {}

  /** The profile's configuration; discovers it on first use, and again after a failure. */
  get(profile: ClientProfile): Promise<oidc.Configuration> {
    let pending = this.cache.get(profile.id);
    if (!pending) {
      this.state.set(profile.id, 'discovering');
      pending = this.discover(profile).then(
        (config) => {
          this.state.set(profile.id, 'ready');
          return config;
        },
        (err: unknown) => {
          this.cache.delete(profile.id);
          this.state.set(profile.id, 'failing');
          this.options.log.warn(
            { profile: profile.id, issuer: profile.issuer, err: err instanceof Error ? err.message : String(err) },
            'discovery failed; will retry on the next request',
          );
          throw new RpError('ERR_DISCOVERY_FAILED', `discovery of ${profile.issuer} failed`, { cause: err, facts: { issuer: profile.issuer } });
        },
      );
      this.cache.set(profile.id, pending);
    }
    return pending;
  }

  status(profileId: string): IssuerStatus {
    return this.state.get(profileId) ?? 'not discovered yet';
  }

  private async discover(profile: ClientProfile): Promise<oidc.Configuration> {
    const issuer = new URL(profile.issuer);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !isLoopbackUrl(issuer)) {
      throw new RpError('ERR_INSECURE_ISSUER', `issuer ${profile.issuer} uses plain http and is not on this machine`, { facts: { issuer: profile.issuer } });
    }
    if (insecure && !this.warned.has(profile.issuer)) {
      this.warned.add(profile.issuer);
      this.options.log.warn({ issuer: profile.issuer }, 'allowInsecureRequests: talking plain http to a loopback issuer (local development only)');
    }
    const metadata: Partial<oidc.ClientMetadata> = {
      id_token_signed_response_alg: ID_TOKEN_ALG,
      token_endpoint_auth_method: profile.authMethod,
      ...(profile.clientSecret ? { client_secret: profile.clientSecret } : {}),
    };
    const config = await oidc.discovery(issuer, profile.clientId, metadata, clientAuthentication(profile), {
      execute: [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])],
      timeout: this.options.timeoutMs / 1000,
      [oidc.customFetch]: this.options.fetch,
    });
    const server = serverMetadataOf(config);
    if (server.code_challenge_methods_supported && !server.code_challenge_methods_supported.includes('S256')) {
      this.options.log.warn({ issuer: profile.issuer }, 'the provider does not list S256 in code_challenge_methods_supported; PKCE S256 is sent anyway');
    }
    this.options.log.info({ profile: profile.id, issuer: server.issuer, authMethod: profile.authMethod }, 'issuer discovered');
    return config;
  }
}
