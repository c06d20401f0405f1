/**
 * An independent OpenID provider for the tests: node-oidc-provider (panva), started in-process on a free port.
 * It proves the client-app is a standards-only relying party, not tied to the Stytch emulator.
 *
 * Two phases, because each side needs the other's URL: `reserveOp()` listens and knows the issuer; `start()`
 * registers the clients once the client-app's redirect URI is known.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';

export interface TestOp {
  issuer: string;
  /** The private signing key and its kid, so that fault-injection can re-sign tokens as the provider would. */
  signingKey: CryptoKey;
  kid: string;
  provider?: Provider;
  start(clients: ClientMetadata[]): Promise<Provider>;
  close(): Promise<void>;
}

export const TEST_USER = { sub: 'alice', email: 'alice@example.com', name: 'Alice Example' };

export async function reserveOp(host = '127.0.0.1'): Promise<TestOp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'op-key-1';
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  const op: TestOp = {
    issuer,
    signingKey: privateKey,
    kid,
    async start(clients) {
      const provider = new Provider(issuer, {
        clients,
        jwks: { keys: [jwk] },
        cookies: { keys: ['test-cookie-key-not-secret'] },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true }, revocation: { enabled: true }, rpInitiatedLogout: { enabled: true } },
        ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 86400 },
        scopes: ['openid', 'offline_access', 'email', 'profile'],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        // Without this oidc-provider issues refresh tokens only for offline_access with prompt=consent.
        issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: 'Alice Example' }),
        }),
      });
      server.on('request', provider.callback());
      op.provider = provider;
      return provider;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return op;
}
