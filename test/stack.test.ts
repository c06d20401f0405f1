import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/emulator/index.ts';
import { ConfigError } from '../src/shared/errors.ts';
import { createLogger } from '../src/shared/log.ts';
import { consentPolicy, startStack, stytchProjectFromEnv, type ClientType, type ConsentPolicy, type Stack } from '../src/stack.ts';

const FREE = { emulator: 0, authServer: 0, clientApp: 0 };

describe('startStack with the emulator', () => {
  let stack: Stack;
  afterAll(() => stack?.close());

  it('boots the three servers on free ports, wired to each other', async () => {
    stack = await startStack({ projectType: 'b2b', ports: FREE, logLevel: 'silent' });
    for (const url of [stack.urls.clientApp, stack.urls.authServer, stack.urls.stytch]) {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    }
    // The emulator's seed points at the apps' actual URLs: discovery names the auth-server as authorization endpoint.
    const discovery = (await (await fetch(`${stack.urls.stytch}/.well-known/openid-configuration`)).json()) as {
      authorization_endpoint: string;
      issuer: string;
    };
    expect(discovery.authorization_endpoint).toBe(stack.urls.authorizationUrl);
    expect(discovery.issuer).toBe(stack.urls.stytch);
    expect(stack.demo).toMatchObject({ email: 'ada@acme.example', organization: 'acme' });
  });

  it('offers one client of each kind, each with its consent behaviour', () => {
    expect(stack.clients.map((c) => [c.name, c.clientType, c.confidential, c.consent])).toEqual([
      ['Insight Analytics', 'third_party', true, 'always'],
      ['Acme Mobile', 'first_party_public', false, 'never'],
      ['Acme Dashboard', 'first_party', true, 'never'],
      ['Pocket Notes', 'third_party_public', false, 'first-time'],
    ]);
  });

  it('sends the browser from the client-app to the Authorization URL with PKCE', async () => {
    const res = await fetch(`${stack.urls.clientApp}/login?profile=${stack.clients[0]!.profileId}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(stack.urls.authorizationUrl);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe(`${stack.urls.clientApp}/callback`);
  });

  it('stops every server on close', async () => {
    const urls = Object.values(stack.urls);
    await stack.close();
    for (const url of urls) await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('startStack errors', () => {
  let busy: Server;
  afterAll(() => new Promise<void>((r) => (busy ? busy.close(() => r()) : r())));

  it('names the variable of a port that is in use', async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, 'localhost', r));
    const port = (busy.address() as AddressInfo).port;
    await expect(startStack({ ports: { ...FREE, clientApp: port }, logLevel: 'silent' })).rejects.toMatchObject({
      code: 'ERR_PORT_IN_USE',
      message: expect.stringContaining('CLIENT_APP_PORT'),
    });
    await expect(startStack({ ports: { ...FREE, emulator: port }, logLevel: 'silent' })).rejects.toThrow(/STYTCH_EMULATOR_PORT/);
  });
});

describe('your own project (an emulator stands in for Stytch)', () => {
  it('runs the apps against it, with the client type read from Stytch', async () => {
    const stytch = await startEmulator({ projectType: 'consumer', port: 0, logger: createLogger('stytch', 'silent') });
    try {
      const project = stytchProjectFromEnv({ STYTCH_PROJECT_ID: stytch.projectId, STYTCH_SECRET: stytch.secret, STYTCH_API_URL: stytch.url })!;
      const stack = await startStack({
        stytch: project,
        ports: { authServer: 0, clientApp: 0 },
        logLevel: 'silent',
        env: { OIDC_CLIENT_ID: 'connected-app-test-00000000-0000-4000-8000-000000000012', OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'none' },
      });
      try {
        expect(stack.emulator).toBeUndefined();
        expect(stack.clients).toEqual([expect.objectContaining({ name: 'Acme Mobile', clientType: 'first_party_public', confidential: false })]);
      } finally {
        await stack.close();
      }
      // A client id the project does not know stops the start with a message about the client id.
      await expect(
        startStack({
          stytch: project,
          ports: { authServer: 0, clientApp: 0 },
          logLevel: 'silent',
          env: { OIDC_CLIENT_ID: 'connected-app-test-unknown', OIDC_TOKEN_ENDPOINT_AUTH_METHOD: 'none' },
        }),
      ).rejects.toThrow(/does not know the Connected App connected-app-test-unknown/);
      // Without a client the client-app would fall back to the demo clients: refused.
      await expect(startStack({ stytch: project, ports: { authServer: 0, clientApp: 0 }, logLevel: 'silent', env: {} })).rejects.toThrow(/OIDC_CLIENT_ID/);
    } finally {
      await stytch.close();
    }
  });

  it('reads it from the environment, naming each missing variable', () => {
    expect(stytchProjectFromEnv({})).toBeUndefined();
    const err = (() => {
      try {
        stytchProjectFromEnv({ STYTCH_SECRET: 'secret-test-x', STYTCH_PROJECT_TYPE: 'enterprise' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['STYTCH_PROJECT_ID', 'STYTCH_API_URL', 'STYTCH_PROJECT_TYPE']);
  });
});

describe('consentPolicy (Stytch rules, ST-CONSENT)', () => {
  const rows: Array<[ClientType, string, boolean, ConsentPolicy]> = [
    ['third_party', 'openid email', false, 'first-time'],
    ['third_party', 'openid offline_access', false, 'always'],
    ['third_party_public', 'openid offline_access', true, 'always'],
    ['first_party', 'openid email', false, 'never'],
    ['first_party', 'openid offline_access', false, 'always'],
    ['first_party_public', 'openid offline_access', true, 'never'],
  ];
  for (const [type, scope, bypass, expected] of rows) {
    it(`${type} asking for "${scope}"${bypass ? ' (bypass_consent_for_offline_access)' : ''} → ${expected}`, () => {
      expect(consentPolicy(type, scope.split(' '), bypass)).toBe(expected);
    });
  }
});
