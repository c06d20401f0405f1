/**
 * Authorization server rules AS-1 to AS-15 (docs/rules.md), as one declarative table of negative cases: each row names
 * its rule, sends one request, and states the status and error code it must get (plus, where the rule says
 * more, a follow-up check that the failure did what the rule requires, e.g. that a replayed code's tokens
 * are dead). Every response from a project-domain OAuth endpoint is also checked for `no-store` (rule 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../index.ts';
import {
  REDIRECT,
  authorize,
  createClient,
  decodeJwt,
  demoIdentity,
  introspect,
  pkcePair,
  postForm,
  sdk,
  start,
  tokensFor,
  type Harness,
  type TestClient,
  type Tokens,
} from './helpers.ts';

let h: Harness;
let em: RunningEmulator;
/** Shared clients for rows that do not change them. */
let conf: TestClient;
let other: TestClient;
let pub: TestClient;

beforeAll(async () => {
  // A high token-endpoint limit: this table fails on purpose many times; rule 15 has its own emulator.
  h = await start('consumer', { tokenEndpointLimit: { max: 10_000, windowSeconds: 60 } });
  em = h.emulator;
  conf = await createClient(em, { client_type: 'third_party' });
  other = await createClient(em, { client_type: 'third_party' });
  pub = await createClient(em, { client_type: 'third_party_public' });
});
afterAll(() => em.close());

/** A call to the IDP authorize API (Basic project auth), as the auth-server would make it. */
function idp(step: 'start' | 'submit', body: Record<string, unknown>): Promise<Response> {
  return fetch(`${em.url}/v1/idp/oauth/authorize${step === 'start' ? '/start' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${em.projectId}:${em.secret}`).toString('base64')}` },
    body: JSON.stringify({ response_type: 'code', scopes: ['openid'], consent_granted: true, ...demoIdentity(em), ...body }),
  });
}

function token(params: Record<string, string>, client?: TestClient, auth?: 'basic' | 'post' | 'none', headers?: Record<string, string>) {
  return postForm(em, '/v1/oauth2/token', params, { ...(client ? { client } : {}), ...(auth ? { auth } : {}), ...(headers ? { headers } : {}) });
}

async function codeFor(client: TestClient, extra: { challenge?: string; scopes?: string[] } = {}): Promise<string> {
  const { code } = await authorize(em, {
    client,
    ...(extra.challenge ? { code_challenge: extra.challenge } : {}),
    ...(extra.scopes ? { scopes: extra.scopes } : {}),
  });
  return code;
}

const redeem = (client: TestClient, code: string, verifier?: string) =>
  token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...(verifier ? { code_verifier: verifier } : {}) }, client);

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(`${em.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

async function refresh(client: TestClient, refreshToken: string, scope?: string): Promise<Response> {
  return token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...(scope ? { scope } : {}) }, client);
}

interface Outcome {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

interface Row {
  rule: string;
  case: string;
  /** Sends the request under test; may return state for `then` through the closure. */
  send: () => Promise<Response>;
  expect: { status: number; error?: string; error_type?: string; headers?: Record<string, RegExp> };
  /** What else the rule requires once the request failed (or succeeded with a restriction). */
  then?: (outcome: Outcome) => Promise<void> | void;
}

// Rows that need state from their own setup keep it in a closure made by a factory.
function replayRow(): Row {
  let first: Tokens;
  let code: string;
  return {
    rule: '3 code single use',
    case: 'a second redemption of a code → invalid_grant, and the first redemption’s tokens are revoked',
    send: async () => {
      const pkce = pkcePair();
      code = await codeFor(conf, { challenge: pkce.challenge });
      const res = await redeem(conf, code, pkce.verifier);
      first = (await res.json()) as Tokens;
      return redeem(conf, code, pkce.verifier);
    },
    expect: { status: 400, error: 'invalid_grant' },
    then: async () => {
      expect((await introspect(em, conf, first.access_token)).active).toBe(false);
      expect(await userinfoStatus(first.access_token)).toBe(401);
      const r = await refresh(conf, first.refresh_token!);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe('invalid_grant');
    },
  };
}

function otherClientCodeRow(): Row {
  let code: string;
  return {
    rule: '3 code bound to client',
    case: 'client B redeems client A’s code → invalid_grant; A can still redeem it',
    send: async () => {
      code = await codeFor(conf);
      return redeem(other, code);
    },
    expect: { status: 400, error: 'invalid_grant' },
    then: async () => expect((await redeem(conf, code)).status).toBe(200),
  };
}

function rotatedRefreshReuseRow(): Row {
  let newest: Tokens;
  return {
    rule: '8 refresh rotation',
    case: 'public client reuses a rotated refresh token → invalid_grant, and the whole grant is revoked',
    send: async () => {
      const first = await tokensFor(em, pub);
      const r1 = await refresh(pub, first.refresh_token!);
      newest = (await r1.json()) as Tokens;
      expect(newest.refresh_token).toBeDefined();
      expect(newest.refresh_token).not.toBe(first.refresh_token);
      return refresh(pub, first.refresh_token!);
    },
    expect: { status: 400, error: 'invalid_grant' },
    then: async () => {
      expect((await refresh(pub, newest.refresh_token!)).status).toBe(400);
      expect((await introspect(em, pub, newest.access_token)).active).toBe(false);
    },
  };
}

function foreignRefreshRow(): Row {
  let tokens: Tokens;
  return {
    rule: '8 refresh bound to client',
    case: 'client B uses client A’s refresh token → invalid_grant; it still works for A',
    send: async () => {
      tokens = await tokensFor(em, conf);
      return refresh(other, tokens.refresh_token!);
    },
    expect: { status: 400, error: 'invalid_grant' },
    then: async () => expect((await refresh(conf, tokens.refresh_token!)).status).toBe(200),
  };
}

function refreshScopeRows(): Row[] {
  let tokens: Tokens;
  return [
    {
      rule: '8 refresh never widens',
      case: 'refresh asking for a scope that was not granted → invalid_scope',
      send: async () => {
        tokens = await tokensFor(em, conf, { scopes: ['openid', 'offline_access'] });
        return refresh(conf, tokens.refresh_token!, 'openid offline_access email');
      },
      expect: { status: 400, error: 'invalid_scope' },
    },
    {
      rule: '8 refresh may narrow',
      case: 'confidential refresh with a narrower scope → that scope only, no id_token, no new refresh_token',
      send: async () => {
        tokens = await tokensFor(em, conf, { scopes: ['openid', 'email', 'offline_access'] });
        return refresh(conf, tokens.refresh_token!, 'email');
      },
      expect: { status: 200 },
      then: ({ body }) => {
        expect(body.scope).toBe('email');
        expect(body.id_token).toBeUndefined();
        expect(body.refresh_token).toBeUndefined();
      },
    },
  ];
}

function revocationRows(): Row[] {
  let a: Tokens;
  return [
    {
      rule: '9 revocation',
      case: 'revoking an unknown token → 200',
      send: () => postForm(em, '/v1/oauth2/revoke', { token: 'not-a-token-we-ever-issued' }, { client: conf }),
      expect: { status: 200 },
    },
    {
      rule: '9 revocation',
      case: 'client B revokes client A’s tokens → 200, and they still work for A',
      send: async () => {
        a = await tokensFor(em, conf);
        await postForm(em, '/v1/oauth2/revoke', { token: a.access_token }, { client: other });
        return postForm(em, '/v1/oauth2/revoke', { token: a.refresh_token!, token_type_hint: 'refresh_token' }, { client: other });
      },
      expect: { status: 200 },
      then: async () => {
        expect((await introspect(em, conf, a.access_token)).active).toBe(true);
        expect((await refresh(conf, a.refresh_token!)).status).toBe(200);
      },
    },
    {
      rule: '9 revocation',
      case: 'revoking a refresh token (with a wrong hint) → 200 and the grant’s access tokens die',
      send: async () => {
        a = await tokensFor(em, conf);
        return postForm(em, '/v1/oauth2/revoke', { token: a.refresh_token!, token_type_hint: 'access_token' }, { client: conf });
      },
      expect: { status: 200 },
      then: async () => {
        expect((await introspect(em, conf, a.access_token)).active).toBe(false);
        expect(await userinfoStatus(a.access_token)).toBe(401);
        expect((await refresh(conf, a.refresh_token!)).status).toBe(400);
      },
    },
    {
      rule: '9 revocation',
      case: 'revocation with a wrong client secret → 401 invalid_client',
      send: () => postForm(em, '/v1/oauth2/revoke', { token: 'x' }, { client: { ...conf, client_secret: 'secret-test-wrong' } }),
      expect: { status: 401, error: 'invalid_client', headers: { 'www-authenticate': /^Basic / } },
    },
  ];
}

function keyRotationRow(): Row {
  let before: Tokens;
  let oldKid: unknown;
  let nextKid: string;
  const jwksKids = async () => ((await (await fetch(`${em.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
  return {
    rule: '14 key rotation',
    case: 'a published next key does not sign until promoted; then the old key stays published and its tokens stay valid',
    send: async () => {
      before = await tokensFor(em, conf);
      oldKid = decodeJwt(before.access_token).header.kid;
      nextKid = (await em.ctx.keys.rotate()).kid;
      expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, nextKid]));
      expect(decodeJwt((await tokensFor(em, conf)).access_token).header.kid).toBe(oldKid);
      await em.ctx.keys.promote();
      return redeem(conf, await codeFor(conf));
    },
    expect: { status: 200 },
    then: async ({ body }) => {
      expect(decodeJwt(body.access_token as string).header.kid).toBe(nextKid);
      expect(await jwksKids()).toEqual(expect.arrayContaining([oldKid, nextKid]));
      expect((await introspect(em, conf, before.access_token)).active).toBe(true);
    },
  };
}

/** Its own emulator with a limit of 3 failures; the response is copied out before that emulator closes. */
function rateLimitRow(): Row {
  let retryAfterLifts = false;
  let otherClientUnaffected = false;
  return {
    rule: '15 rate limit',
    case: 'the 4th failed token request of a client → 429 with Retry-After, until the window ends',
    send: async () => {
      const limited = await start('consumer', { tokenEndpointLimit: { max: 3, windowSeconds: 60 } });
      try {
        const lem = limited.emulator;
        const client = await createClient(lem, { client_type: 'third_party' });
        const fail = (c: TestClient) =>
          postForm(lem, '/v1/oauth2/token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT }, { client: c });
        for (let i = 0; i < 3; i++) expect((await fail(client)).status).toBe(400);
        const limitedRes = await fail(client);
        const copy = new Response(await limitedRes.text(), { status: limitedRes.status, headers: limitedRes.headers });
        otherClientUnaffected = (await fail(await createClient(lem, { client_type: 'third_party' }))).status === 400;
        limited.clock.advance(61);
        retryAfterLifts = (await fail(client)).status === 400;
        return copy;
      } finally {
        await limited.emulator.close();
      }
    },
    expect: { status: 429, error: 'too_many_requests', headers: { 'retry-after': /^\d+$/ } },
    then: () => {
      expect(otherClientUnaffected).toBe(true);
      expect(retryAfterLifts).toBe(true);
    },
  };
}

const inactiveOnly = ({ body }: Outcome) => expect(Object.keys(body).sort()).toEqual(['active', 'request_id', 'status_code']);

function introspectionRows(): Row[] {
  let a: Tokens;
  return [
    {
      rule: '10 introspection',
      case: 'a revoked access token → active:false and nothing else',
      send: async () => {
        a = await tokensFor(em, conf);
        await postForm(em, '/v1/oauth2/revoke', { token: a.access_token }, { client: conf });
        return postForm(em, '/v1/oauth2/introspect', { token: a.access_token }, { client: conf });
      },
      expect: { status: 200 },
      then: (o) => {
        expect(o.body.active).toBe(false);
        inactiveOnly(o);
      },
    },
    {
      rule: '10 introspection',
      case: 'another client’s token → active:false and nothing else',
      send: async () => {
        a = await tokensFor(em, conf);
        return postForm(em, '/v1/oauth2/introspect', { token: a.access_token }, { client: other });
      },
      expect: { status: 200 },
      then: (o) => {
        expect(o.body.active).toBe(false);
        inactiveOnly(o);
      },
    },
    {
      rule: '10 introspection',
      case: 'garbage → active:false and nothing else',
      send: () => postForm(em, '/v1/oauth2/introspect', { token: 'eyJhbGciOiJub25lIn0.e30.' }, { client: conf }),
      expect: { status: 200 },
      then: (o) => {
        expect(o.body.active).toBe(false);
        inactiveOnly(o);
      },
    },
    {
      rule: '10 introspection',
      case: 'no client authentication → 401 invalid_client',
      send: () => postForm(em, '/v1/oauth2/introspect', { token: 'x' }),
      expect: { status: 401, error: 'invalid_client' },
    },
    {
      rule: '10 introspection',
      case: 'no token → 400 invalid_request',
      send: () => postForm(em, '/v1/oauth2/introspect', {}, { client: conf }),
      expect: { status: 400, error: 'invalid_request' },
    },
  ];
}

const variants = [
  `${REDIRECT}/`,
  `${REDIRECT}?x=1`,
  `${REDIRECT}#f`,
  'https://client.example.test/CB',
  'https://CLIENT.example.test/cb',
  'https://client.example.test:443/cb',
  'http://client.example.test/cb',
  `${REDIRECT}x`,
  'https://client.example.test/cb/../cb',
  'https://client.example.test.evil/cb',
];

const noRedirect = ({ body }: Outcome) => {
  expect(body.redirect_uri).toBeUndefined();
  expect(body.authorization_code).toBeUndefined();
};

const TABLE: Row[] = [
  // 1. Exact redirect_uri match, and 2. never redirect to an unregistered one.
  ...variants.flatMap((uri): Row[] => [
    {
      rule: '1 exact redirect_uri',
      case: `authorize/start with ${uri}`,
      send: () => idp('start', { client_id: conf.client_id, redirect_uri: uri }),
      expect: { status: 401, error_type: 'connected_app_supplied_redirect_url_not_found_in_client' },
      then: noRedirect,
    },
    {
      rule: '2 no redirect to unregistered URI',
      case: `authorize (submit) with ${uri}`,
      send: () => idp('submit', { client_id: conf.client_id, redirect_uri: uri }),
      expect: { status: 401, error_type: 'connected_app_supplied_redirect_url_not_found_in_client' },
      then: noRedirect,
    },
  ]),
  {
    rule: '2 no redirect for unknown client',
    case: 'authorize (submit) with an unknown client_id',
    send: () => idp('submit', { client_id: 'connected-app-test-00000000-0000-4000-8000-0000000000ff', redirect_uri: REDIRECT }),
    expect: { status: 404, error_type: 'connected_app_not_found' },
    then: noRedirect,
  },
  {
    rule: '2 no redirect for unknown client',
    case: 'authorize/start with a missing client_id',
    send: () => idp('start', { redirect_uri: REDIRECT }),
    expect: { status: 400, error_type: 'bad_request' },
    then: noRedirect,
  },

  // 3. Codes: single use (replay revokes), short-lived, bound to the client.
  replayRow(),
  otherClientCodeRow(),
  {
    rule: '3 code lifetime',
    case: 'a code redeemed after 10 minutes → invalid_grant',
    send: async () => {
      const code = await codeFor(conf);
      h.clock.advance(10 * 60 + 1);
      return redeem(conf, code);
    },
    expect: { status: 400, error: 'invalid_grant' },
  },
  {
    rule: '3 code',
    case: 'an unknown code → invalid_grant',
    send: () => redeem(conf, 'bm90LWEtY29kZS13ZS1pc3N1ZWQ'),
    expect: { status: 400, error: 'invalid_grant' },
  },

  // 4. redirect_uri at the token endpoint.
  {
    rule: '4 token redirect_uri',
    case: 'a redirect_uri other than the authorization request’s → invalid_grant',
    send: async () => token({ grant_type: 'authorization_code', code: await codeFor(conf), redirect_uri: `${REDIRECT}/other` }, conf),
    expect: { status: 400, error: 'invalid_grant' },
  },
  {
    rule: '4 token redirect_uri',
    case: 'no redirect_uri → invalid_request',
    send: async () => token({ grant_type: 'authorization_code', code: await codeFor(conf) }, conf),
    expect: { status: 400, error: 'invalid_request' },
  },

  // 5. PKCE.
  {
    rule: '5 PKCE required for public clients',
    case: 'public client authorize without code_challenge → no code',
    send: () => idp('submit', { client_id: pub.client_id, redirect_uri: REDIRECT }),
    expect: { status: 400, error_type: 'pkce_required_for_public_clients' },
    then: noRedirect,
  },
  {
    rule: '5 PKCE S256 only',
    case: 'a plain challenge (the verifier itself, 50 characters) → refused',
    send: () => idp('submit', { client_id: conf.client_id, redirect_uri: REDIRECT, code_challenge: 'a'.repeat(50) }),
    expect: { status: 400, error_type: 'invalid_code_challenge' },
    then: noRedirect,
  },
  {
    rule: '5 PKCE S256 only',
    case: 'a challenge of 42 characters → refused',
    send: () => idp('submit', { client_id: conf.client_id, redirect_uri: REDIRECT, code_challenge: 'a'.repeat(42) }),
    expect: { status: 400, error_type: 'invalid_code_challenge' },
  },
  {
    rule: '5 PKCE verifier',
    case: 'a verifier that does not match → invalid_grant',
    send: async () => redeem(pub, await codeFor(pub, { challenge: pkcePair().challenge }), pkcePair().verifier),
    expect: { status: 400, error: 'invalid_grant' },
  },
  {
    rule: '5 PKCE verifier',
    case: 'no verifier for a code issued with a challenge → invalid_grant',
    send: async () => redeem(pub, await codeFor(pub, { challenge: pkcePair().challenge })),
    expect: { status: 400, error: 'invalid_grant' },
  },
  {
    rule: '5 no PKCE downgrade',
    case: 'a verifier for a code issued without a challenge → invalid_grant',
    send: async () => redeem(conf, await codeFor(conf), pkcePair().verifier),
    expect: { status: 400, error: 'invalid_grant' },
  },
  ...[
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['characters outside the ABNF', `${'a'.repeat(40)}+/=`],
  ].map(
    ([what, verifier]): Row => ({
      rule: '5 PKCE verifier ABNF',
      case: `a verifier of ${what} → invalid_request`,
      send: async () => redeem(pub, await codeFor(pub, { challenge: pkcePair().challenge }), verifier),
      expect: { status: 400, error: 'invalid_request' },
    }),
  ),

  // 6. Client authentication.
  {
    rule: '6 client auth',
    case: 'wrong secret with client_secret_basic → 401 invalid_client + WWW-Authenticate',
    send: async () => redeem({ ...conf, client_secret: 'secret-test-wrong' }, await codeFor(conf)),
    expect: { status: 401, error: 'invalid_client', headers: { 'www-authenticate': /^Basic / } },
  },
  {
    rule: '6 client auth',
    case: 'wrong secret with client_secret_post → 401 invalid_client',
    send: () => token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { ...conf, client_secret: 'secret-test-wrong' }, 'post'),
    expect: { status: 401, error: 'invalid_client' },
  },
  {
    rule: '6 client auth',
    case: 'a confidential client without a secret → 401 invalid_client',
    send: () => token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, conf, 'none'),
    expect: { status: 401, error: 'invalid_client' },
  },
  {
    rule: '6 client auth',
    case: 'an unknown client → 401 invalid_client',
    send: () =>
      token(
        { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT },
        { client_id: 'connected-app-test-unknown', client_type: 'third_party', client_secret: 's' },
      ),
    expect: { status: 401, error: 'invalid_client' },
  },
  {
    rule: '6 client auth',
    case: 'a public client that sends a secret → 401 invalid_client',
    send: () => token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { ...pub, client_secret: 'anything-at-all' }, 'post'),
    expect: { status: 401, error: 'invalid_client' },
  },
  {
    rule: '6 client auth',
    case: 'Basic and client_secret in the body together → invalid_request',
    send: () => token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_secret: conf.client_secret! }, conf, 'basic'),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '6 client auth',
    case: 'Basic for one client and another client_id in the body → invalid_request',
    send: () => token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: other.client_id }, conf, 'basic'),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '6 client auth',
    case: 'a malformed Basic header (no colon) → invalid_request',
    send: () =>
      token({ grant_type: 'authorization_code', code: 'x' }, undefined, undefined, {
        authorization: `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      }),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '6 client auth',
    case: 'a Bearer header at the token endpoint → invalid_request',
    send: () => token({ grant_type: 'authorization_code', code: 'x' }, undefined, undefined, { authorization: 'Bearer abc' }),
    expect: { status: 400, error: 'invalid_request' },
  },
  (() => {
    let client: TestClient;
    return {
      rule: '6 client auth',
      case: 'the previous secret after a completed rotation → 401 invalid_client',
      send: async () => {
        client = await createClient(em, { client_type: 'third_party' });
        const admin = sdk(em);
        await admin.connectedApp.clients.secrets.rotateStart({ client_id: client.client_id });
        await admin.connectedApp.clients.secrets.rotate({ client_id: client.client_id });
        return token({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, client);
      },
      expect: { status: 401, error: 'invalid_client' },
    } satisfies Row;
  })(),

  // 7. Cache headers on a success.
  {
    rule: '7 no-store',
    case: 'a successful token response carries Cache-Control: no-store and Pragma: no-cache',
    send: async () => redeem(conf, await codeFor(conf)),
    expect: { status: 200, headers: { 'cache-control': /no-store/, pragma: /no-cache/ } },
  },

  // 8. Refresh tokens.
  rotatedRefreshReuseRow(),
  foreignRefreshRow(),
  ...refreshScopeRows(),

  // 9 and 10.
  ...revocationRows(),
  ...introspectionRows(),
  {
    rule: '10 introspection',
    case: 'an expired access token → active:false and nothing else',
    send: async () => {
      const a = await tokensFor(em, conf);
      h.clock.advance(3601);
      return postForm(em, '/v1/oauth2/introspect', { token: a.access_token }, { client: conf });
    },
    expect: { status: 200 },
    then: (o) => {
      expect(o.body.active).toBe(false);
      inactiveOnly(o);
    },
  },

  // 11. Standard OAuth errors.
  {
    rule: '11 OAuth errors',
    case: 'no grant_type → invalid_request',
    send: () => token({ code: 'x' }, conf),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '11 OAuth errors',
    case: 'grant_type=password → unsupported_grant_type',
    send: () => token({ grant_type: 'password', username: 'a', password: 'b' }, conf),
    expect: { status: 400, error: 'unsupported_grant_type' },
  },
  {
    rule: '11 OAuth errors',
    case: 'client_credentials for a Connected App client → unauthorized_client',
    send: () => token({ grant_type: 'client_credentials' }, conf),
    expect: { status: 400, error: 'unauthorized_client' },
  },
  {
    rule: '11 OAuth errors',
    case: 'a repeated parameter (code=a&code=b) → invalid_request',
    send: () =>
      fetch(`${em.url}/v1/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=authorization_code&code=a&code=b&redirect_uri=${encodeURIComponent(REDIRECT)}&client_id=${pub.client_id}`,
      }),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '11 OAuth errors',
    case: 'GET on the token endpoint → 405, never tokens',
    send: () => fetch(`${em.url}/v1/oauth2/token?grant_type=authorization_code&code=x`),
    expect: { status: 405, error: 'invalid_request', headers: { allow: /POST/ } },
  },
  {
    rule: '11 OAuth errors',
    case: 'refresh_token grant without a refresh_token → invalid_request',
    send: () => token({ grant_type: 'refresh_token' }, conf),
    expect: { status: 400, error: 'invalid_request' },
  },
  {
    rule: '11 OAuth errors',
    case: 'the legacy /v1/public/{project_id} path answers the same errors',
    send: () => postForm(em, `/v1/public/${em.projectId}/oauth2/token`, { grant_type: 'password' }, { client: conf }),
    expect: { status: 400, error: 'unsupported_grant_type' },
  },

  // 12. ID tokens.
  {
    rule: '12 ID token',
    case: 'RS256 with a published kid, iss = issuer, aud = [client_id], nonce echoed; never alg none',
    send: async () => {
      const { code } = await authorize(em, { client: conf, nonce: 'nonce-😀-&<>' });
      return redeem(conf, code);
    },
    expect: { status: 200 },
    then: async ({ body }) => {
      const { header, payload } = decodeJwt(body.id_token as string);
      const jwks = (await (await fetch(`${em.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; d?: string }> };
      expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
      expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
      expect(payload).toMatchObject({ iss: em.url, aud: [conf.client_id], nonce: 'nonce-😀-&<>' });
      expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
    },
  },
  {
    rule: '12 ID token',
    case: 'no nonce in the authorization request → no nonce claim',
    send: async () => redeem(conf, await codeFor(conf)),
    expect: { status: 200 },
    then: ({ body }) => expect(decodeJwt(body.id_token as string).payload.nonce).toBeUndefined(),
  },

  // 13. iss and state in every authorization response.
  {
    rule: '13 iss in the authorization response',
    case: 'success: code, state echoed byte for byte, iss = issuer',
    send: () => idp('submit', { client_id: conf.client_id, redirect_uri: REDIRECT, state: 'a&b="<c>"+ d%' }),
    expect: { status: 200 },
    then: ({ body }) => {
      const url = new URL(body.redirect_uri as string);
      expect(url.searchParams.get('state')).toBe('a&b="<c>"+ d%');
      expect(url.searchParams.get('iss')).toBe(em.url);
      expect(url.searchParams.get('code')).toBe(body.authorization_code);
    },
  },
  {
    rule: '13 iss in the authorization response',
    case: 'consent required and denied: access_denied with state and iss, no code',
    send: async () =>
      idp('submit', {
        client_id: (await createClient(em, { client_type: 'third_party' })).client_id,
        redirect_uri: REDIRECT,
        state: 's1',
        consent_granted: false,
      }),
    expect: { status: 200 },
    then: ({ body }) => {
      const url = new URL(body.redirect_uri as string);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ error: 'access_denied', state: 's1', iss: em.url });
      expect(url.searchParams.has('code')).toBe(false);
      expect(body.authorization_code).toBeUndefined();
    },
  },
  {
    rule: '13 iss in the authorization response',
    case: 'no state sent → no state added',
    send: () => idp('submit', { client_id: conf.client_id, redirect_uri: REDIRECT }),
    expect: { status: 200 },
    then: ({ body }) => expect(new URL(body.redirect_uri as string).searchParams.has('state')).toBe(false),
  },
  {
    rule: '13 iss advertised',
    case: 'discovery says authorization_response_iss_parameter_supported: true and issuer = base URL',
    send: () => fetch(`${em.url}/.well-known/openid-configuration`),
    expect: { status: 200 },
    then: ({ body }) =>
      expect(body).toMatchObject({ issuer: em.url, authorization_response_iss_parameter_supported: true, code_challenge_methods_supported: ['S256'] }),
  },

  // 14 and 15 last: they rotate the keys, and run their own rate-limited emulator.
  keyRotationRow(),
  rateLimitRow(),
];

describe('authorization server rules (AS-n): negative table', () => {
  for (const row of TABLE) {
    const expected = row.expect.error ?? row.expect.error_type ?? '';
    it(`rule ${row.rule}: ${row.case} → ${row.expect.status} ${expected}`.trim(), async () => {
      const res = await row.send();
      const text = await res.text();
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      expect({ status: res.status, body }).toMatchObject({ status: row.expect.status });
      if (row.expect.error) expect(body.error).toBe(row.expect.error);
      if (row.expect.error_type) expect(body.error_type).toBe(row.expect.error_type);
      // Every body, success or error, carries request_id and status_code.
      expect(body).toMatchObject({ status_code: row.expect.status, request_id: expect.stringMatching(/^request-id-test-/) });
      for (const [name, pattern] of Object.entries(row.expect.headers ?? {})) expect(res.headers.get(name)).toMatch(pattern);
      if (res.url && new URL(res.url).pathname.includes('/oauth2/')) {
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('pragma')).toBe('no-cache');
      }
      await row.then?.({ status: res.status, body, headers: res.headers });
    });
  }
});

describe('rule 3: atomic redemption', () => {
  it('five concurrent redemptions of one code give exactly one 200', async () => {
    const code = await codeFor(conf);
    const results = await Promise.all(Array.from({ length: 5 }, () => redeem(conf, code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
  });
});

describe('rule 13: iss can be switched off (UNCONFIRMED for Stytch)', () => {
  it('without authorization_response_iss, the redirect has no iss and discovery does not promise one', async () => {
    em.ctx.updateSettings({ authorization_response_iss: false });
    try {
      const { redirect_uri } = await authorize(em, { client: conf });
      expect(new URL(redirect_uri).searchParams.has('iss')).toBe(false);
      const discovery = (await (await fetch(`${em.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery.authorization_response_iss_parameter_supported).toBe(false);
    } finally {
      em.ctx.updateSettings({ authorization_response_iss: true });
    }
  });
});
