/**
 * The benchmark's peer provider: node-oidc-provider with its dev interactions (a login form that checks no
 * password, and a consent form), PKCE required, one confidential client. Configured from PEER_* variables by
 * `bench/systems.ts`; loopback only. Not part of the product: a yardstick.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const issuer = env('PEER_OP_URL');
const rpUrl = env('PEER_RP_URL');
const { privateKey } = await generateKeyPair('RS256', { extractable: true });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env('PEER_CLIENT_ID'),
      client_secret: env('PEER_CLIENT_SECRET'),
      redirect_uris: [`${rpUrl}/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'peer-1', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [env('PEER_CLIENT_SECRET')] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, name: id }),
  }),
});
// Dev interactions log a warning at every start; the benchmark knows.
provider.on('server_error', (_ctx, err) => console.error(err));

const server = createServer(provider.callback());
await new Promise<void>((resolve) => server.listen(Number(env('PEER_PORT')), '127.0.0.1', resolve));
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
