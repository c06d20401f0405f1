/**
 * Fault injection: the admin endpoint, per-client isolation, the seed's `faults` field, and every scenario of
 * the catalogue proved against a real relying party (openid-client v6 configured like the client-app: RS256
 * pinned, signature checks on). The expected outcome is the scenario's own data, so this test also proves
 * the catalogue right: where it says openid-client rejects with a code, openid-client does; where it says
 * openid-client accepts (and the application must check), openid-client does accept.
 */
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertSeedClient } from '../../clients/model.ts';
import { SCENARIOS, type FaultName, type FaultScenario } from '../../faults/index.ts';
import type { RunningEmulator } from '../../index.ts';
import { ORGANIZATION_CLAIM } from '../../identity/session-jwt.ts';
import { REDIRECT, authorize, createClient, decodeJwt, postForm, start, tokensFor, type TestClient } from './helpers.ts';
import { codeFlow, discover } from './rp.ts';

const realNow = () => Math.floor(Date.now() / 1000);
let consumer: RunningEmulator;
let b2b: RunningEmulator;
beforeAll(async () => {
  const [c, b] = await Promise.all([start('consumer', { now: realNow }), start('b2b', { now: realNow })]);
  consumer = c.emulator;
  b2b = b.emulator;
});
afterAll(async () => {
  await consumer?.close();
  await b2b?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const projectAuth = (em: RunningEmulator) => `Basic ${Buffer.from(`${em.projectId}:${em.secret}`).toString('base64')}`;

function admin(em: RunningEmulator, method: string, path: string, body?: unknown, authorization = projectAuth(em)): Promise<Response> {
  return fetch(`${em.url}/emulator${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function setFaults(em: RunningEmulator, client: TestClient, scenarios: FaultName[], params: Record<string, number> = {}): Promise<void> {
  const res = await admin(em, 'PUT', `/clients/${client.client_id}/faults`, { scenarios, params });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function jwksKids(em: RunningEmulator): Promise<string[]> {
  const { keys } = (await (await fetch(`${em.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
  return keys.map((k) => k.kid);
}

describe('admin endpoint', () => {
  it('PUT, GET and DELETE a client’s scenarios (Basic project auth)', async () => {
    const client = await createClient(consumer, { client_type: 'third_party' });
    const put = await admin(consumer, 'PUT', `/clients/${client.client_id}/faults`, { scenarios: ['invalid-iss', 'token-5xx'] });
    expect(await put.json()).toMatchObject({ client_id: client.client_id, scenarios: ['invalid-iss', 'token-5xx'], status_code: 200 });
    expect(await (await admin(consumer, 'GET', `/clients/${client.client_id}/faults`)).json()).toMatchObject({ scenarios: ['invalid-iss', 'token-5xx'] });
    expect(await (await admin(consumer, 'DELETE', `/clients/${client.client_id}/faults`)).json()).toMatchObject({ scenarios: [] });
    expect(await (await admin(consumer, 'GET', `/clients/${client.client_id}/faults`)).json()).toMatchObject({ scenarios: [] });
  });

  it.each([
    ['no project credentials', () => admin(consumer, 'GET', '/clients/x/faults', undefined, 'Basic Zm9vOmJhcg=='), 401, 'unauthorized_credentials'],
    [
      'an unknown client',
      () => admin(consumer, 'PUT', '/clients/connected-app-test-unknown/faults', { scenarios: ['invalid-iss'] }),
      404,
      'connected_app_not_found',
    ],
    [
      'an unknown scenario name',
      async () =>
        admin(consumer, 'PUT', `/clients/${(await createClient(consumer, { client_type: 'third_party' })).client_id}/faults`, {
          scenarios: ['not-a-scenario'],
        }),
      400,
      'bad_request',
    ],
  ] as const)('refuses %s', async (_what, send, status, errorType) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error_type: string }).error_type).toBe(errorType);
  });

  it('lists the catalogue with the expected outcome, openid-client’s error and the source of each scenario', async () => {
    const body = (await (await admin(consumer, 'GET', '/faults')).json()) as {
      project_type: string;
      scenarios: Array<{ name: string; rp_must: string; expected: { outcome: string }; origin: string; conformance_module: string }>;
    };
    expect(body.project_type).toBe('consumer');
    expect(body.scenarios.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(body.scenarios.length).toBeGreaterThanOrEqual(28);
    for (const s of body.scenarios) {
      expect(s.rp_must.length, s.name).toBeGreaterThan(20);
      expect(['accept', 'reject'], s.name).toContain(s.expected.outcome);
      expect(s.conformance_module, s.name).not.toBe('');
    }
  });

  it('reports when the JWKS was last served (a run waits for a relying party’s refetch cooldown from there)', async () => {
    await jwksKids(consumer);
    const body = (await (await admin(consumer, 'GET', '/faults')).json()) as { jwks_last_served_at: number };
    expect(Math.abs(body.jwks_last_served_at - realNow())).toBeLessThanOrEqual(2);
  });

  it('records every injection, authorization request and endpoint answer (GET /emulator/events), without values', async () => {
    const client = await createClient(consumer, { client_type: 'third_party' });
    const { next: since } = (await (await admin(consumer, 'GET', '/events?since=999999999')).json()) as { next: number };
    await setFaults(consumer, client, ['userinfo-sub-mismatch']);
    const tokens = await tokensFor(consumer, client, { state: 'st-1' });
    // Not delivered yet: UserInfo was never called.
    let { events } = (await (await admin(consumer, 'GET', `/events?since=${since}`)).json()) as { events: Array<Record<string, unknown>> };
    expect(events.filter((e) => e.kind === 'injection')).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'authorization_request',
        step: 'submit',
        client_id: client.client_id,
        state_sent: true,
        nonce_sent: true,
        code_challenge_sent: true,
        redirect_uri: REDIRECT,
        redirect_uri_registered: true,
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'response', endpoint: 'token', client_id: client.client_id, status: 200, grant_type: 'authorization_code' }),
    );
    expect(JSON.stringify(events)).not.toContain('st-1');
    await fetch(`${consumer.url}/v1/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    ({ events } = (await (await admin(consumer, 'GET', `/events?since=${since}`)).json()) as { events: Array<Record<string, unknown>> });
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'injection', client_id: client.client_id, scenario: 'userinfo-sub-mismatch', hook: 'userinfo' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ kind: 'response', endpoint: 'userinfo', client_id: client.client_id, status: 200 }));
    // A refused token request names the OAuth error, as a run reports it ("token request failed: invalid_client").
    await postForm(
      consumer,
      '/v1/oauth2/token',
      { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT },
      { client: { ...client, client_secret: 'wrong' } },
    );
    ({ events } = (await (await admin(consumer, 'GET', `/events?since=${since}`)).json()) as { events: Array<Record<string, unknown>> });
    expect(events.at(-1)).toMatchObject({ kind: 'response', endpoint: 'token', client_id: client.client_id, status: 401, error: 'invalid_client' });
    // A refused authorization names Stytch's error_type.
    await authorize(consumer, { client, redirect_uri: 'https://elsewhere.example.test/cb' }).catch(() => undefined);
    ({ events } = (await (await admin(consumer, 'GET', `/events?since=${since}`)).json()) as { events: Array<Record<string, unknown>> });
    expect(events.at(-1)).toMatchObject({
      kind: 'response',
      endpoint: 'authorize',
      client_id: client.client_id,
      status: 401,
      error: 'connected_app_supplied_redirect_url_not_found_in_client',
    });
  });

  it('the JWKS clock is per client: a fetch right after another client’s tokens does not count for this one', async () => {
    const [a, b] = await Promise.all([createClient(consumer, { client_type: 'third_party' }), createClient(consumer, { client_type: 'third_party' })]);
    const clock = async (c: TestClient) =>
      ((await (await admin(consumer, 'GET', `/clients/${c.client_id}/faults`)).json()) as { jwks_last_served_at: number | null }).jwks_last_served_at;
    const before = await clock(b);
    await tokensFor(consumer, a);
    await jwksKids(consumer);
    expect(Math.abs((await clock(a))! - realNow())).toBeLessThanOrEqual(2);
    expect(await clock(b)).toBe(before);
  });

  it('switching a client’s faults on or off forgets its failed token requests (a run never trips the rate limit)', async () => {
    const client = await createClient(consumer, { client_type: 'third_party' });
    const fail = () => postForm(consumer, '/v1/oauth2/token', { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT }, { client });
    for (let i = 0; i < consumer.ctx.tokenEndpointLimit.max; i++) await fail();
    expect((await fail()).status).toBe(429);
    await admin(consumer, 'DELETE', `/clients/${client.client_id}/faults`);
    expect((await fail()).status).toBe(400);
  });

  it('faults are per client: another client of the same project is unaffected', async () => {
    await setFaults(consumer, await createClient(consumer, { client_type: 'third_party' }), ['invalid-iss']);
    const healthy = await createClient(consumer, { client_type: 'third_party' });
    const tokens = await tokensFor(consumer, healthy);
    expect(decodeJwt(tokens.id_token!).payload.iss).toBe(consumer.url);
  });

  it('key scenarios sign with keys of their own: the project’s keys and other clients are untouched, and the key leaves the JWKS when cleared', async () => {
    const projectKids = await jwksKids(consumer);
    const rotated = await createClient(consumer, { client_type: 'third_party' });
    await setFaults(consumer, rotated, ['signing-key-rotation']);
    // Published as soon as the scenario is on, before anything is signed with it.
    const published = await jwksKids(consumer);
    const newKid = published.find((k) => !projectKids.includes(k));
    expect(newKid).toBeDefined();
    expect(decodeJwt((await tokensFor(consumer, rotated)).id_token!).header.kid).toBe(newKid);
    const other = await createClient(consumer, { client_type: 'third_party' });
    expect(projectKids).toContain(decodeJwt((await tokensFor(consumer, other)).id_token!).header.kid);
    await admin(consumer, 'DELETE', `/clients/${rotated.client_id}/faults`);
    expect(await jwksKids(consumer)).toEqual(projectKids);
  });

  it('the seed’s `faults` field activates scenarios for a seeded client', async () => {
    const clientId = 'connected-app-test-00000000-0000-4000-8000-0000000fa017';
    const secret = 'secret-test-SeededFaultyClientSecret_000000000000000';
    upsertSeedClient(consumer.ctx, {
      client_id: clientId,
      client_secret: secret,
      client_type: 'third_party',
      client_name: 'Faulty',
      redirect_urls: [REDIRECT],
      faults: ['invalid-aud'],
    });
    const tokens = await tokensFor(consumer, { client_id: clientId, client_secret: secret, client_type: 'third_party' });
    expect(decodeJwt(tokens.id_token!).payload.aud).not.toEqual([clientId]);
  });
});

/** What the relying party saw, for the scenarios openid-client accepts: proof that the fault was there. */
interface Seen {
  idToken: { header: Record<string, unknown>; payload: Record<string, unknown> };
  /** The token endpoint's JSON, as sent (openid-client normalises some fields). */
  rawTokenResponse: Record<string, unknown>;
  accessToken: { payload: Record<string, unknown> };
  /** After a refresh: the first ID token's claims. */
  original?: Record<string, unknown>;
  em: RunningEmulator;
}

/**
 * For each scenario openid-client accepts, what shows the emulator really misbehaved (an accepted row would
 * otherwise pass with the fault switched off).
 */
const WITNESS: Partial<Record<FaultName, (seen: Seen) => Promise<void> | void>> = {
  'iat-week-in-past': ({ idToken }) => expect(realNow() - Number(idToken.payload.iat)).toBeGreaterThan(6 * 24 * 3600),
  'kid-absent-single-jwks': async ({ idToken, em }) => {
    expect(idToken.header.kid).toBeUndefined();
    expect(await jwksKids(em)).toHaveLength(1);
  },
  'signing-key-rotation': ({ idToken, em }) => expect(idToken.header.kid).not.toBe(em.ctx.keys.active.kid),
  'typ-not-jwt': ({ idToken }) => expect(idToken.header.typ).toBe('at+jwt'),
  'token-type-case': ({ rawTokenResponse }) => expect(rawTokenResponse.token_type).toBe('Bearer'),
  'no-expires-in': ({ rawTokenResponse }) => expect(rawTokenResponse).not.toHaveProperty('expires_in'),
  'no-scope-in-token-response': ({ rawTokenResponse }) => expect(rawTokenResponse).not.toHaveProperty('scope'),
  'valid-aud-as-array-with-azp': ({ idToken }) => {
    expect(idToken.payload.aud).toHaveLength(2);
    expect(idToken.payload.azp).toBe((idToken.payload.aud as string[])[0]);
  },
  'refresh-invalid-sub': ({ idToken, original }) => expect(idToken.payload.sub).not.toBe(original?.sub),
  'b2b-access-token-no-organization': ({ accessToken }) => expect(accessToken.payload).not.toHaveProperty([ORGANIZATION_CLAIM]),
};

type ErrorLike = { code?: unknown; error?: unknown; message?: unknown; cause?: unknown };

/** The claim, parameter or OAuth error an openid-client error is about. */
function checkOf(err: ErrorLike): string[] {
  const inner = err.cause as ErrorLike | undefined;
  const detail = inner?.cause as { claim?: unknown; attribute?: unknown } | undefined;
  const named = [err.error, detail?.claim, detail?.attribute].filter((v): v is string => typeof v === 'string');
  const messages = `${String(err.message)} ${String(inner?.message ?? '')}`;
  const quoted = [...messages.matchAll(/"([\w-]+)"/g)].map((m) => m[1]!);
  return [...named, ...quoted, ...(/signature verification failed/.test(messages) ? ['signature'] : [])];
}

/** A fetch that keeps a copy of every token endpoint response. */
function recordingFetch(sink: Array<Record<string, unknown>>): oidc.CustomFetch {
  return async (url, options) => {
    const res = await fetch(url, options as RequestInit);
    if (new URL(url).pathname.endsWith('/oauth2/token') && res.headers.get('content-type')?.includes('json'))
      sink.push((await res.clone().json()) as Record<string, unknown>);
    return res;
  };
}

/** Timeout openid-client gets for `token-slow`, which stalls for longer than this. */
const RP_TIMEOUT_S = 1;

async function runAgainstOpenidClient(scenario: FaultScenario, em: RunningEmulator): Promise<{ error?: ErrorLike; seen?: Seen }> {
  const client = await createClient(em, { client_type: 'third_party' });
  // A fresh Configuration per scenario: its own JWKS cache.
  const config = await discover(em, client);
  if (scenario.name === 'token-slow') config.timeout = RP_TIMEOUT_S;
  const raw: Array<Record<string, unknown>> = [];
  config[oidc.customFetch] = recordingFetch(raw);
  const name = scenario.name as FaultName;
  const params: Record<string, number> = name === 'token-slow' ? { token_delay_ms: (RP_TIMEOUT_S + 2) * 1000 } : {};
  try {
    if (scenario.needsJwksRefetch) {
      // A first login fills the JWKS cache; openid-client refetches for an unknown kid once the cache is a
      // minute old, so the clock moves on a minute instead of the test sleeping.
      await codeFlow(em, config, client);
      await setFaults(em, client, [name], params);
      const offset = 61_000;
      const now = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => now() + offset);
    } else if (scenario.step === 'login') {
      await setFaults(em, client, [name], params);
    }
    let tokens = await codeFlow(em, config, client);
    let original: Record<string, unknown> | undefined;
    if (scenario.step === 'refresh') {
      original = tokens.claims() as Record<string, unknown>;
      await setFaults(em, client, [name], params);
      tokens = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    }
    // After a login, the RP reads UserInfo about the ID token's subject (a refresh needs no UserInfo call).
    if (scenario.step === 'login') await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    const seen: Seen = {
      idToken: decodeJwt(tokens.id_token!),
      rawTokenResponse: raw.at(-1)!,
      accessToken: decodeJwt(tokens.access_token),
      em,
      ...(original ? { original } : {}),
    };
    return { seen };
  } catch (error) {
    return { error: error as ErrorLike };
  }
}

describe('every scenario against openid-client, as the catalogue says (RS256 pinned, signature checks on)', () => {
  it('has a witness for every scenario openid-client accepts', () => {
    const accepted = SCENARIOS.filter((s) => s.expected.outcome === 'accept' || s.expected.by === 'application').map((s) => s.name);
    expect(Object.keys(WITNESS).sort()).toEqual([...accepted].sort());
  });

  for (const scenario of SCENARIOS) {
    const e = scenario.expected;
    const says =
      e.outcome === 'accept'
        ? 'accepted'
        : e.by === 'application'
          ? `accepted by openid-client (the app must reject: ${e.code})`
          : `rejected: ${e.code}${e.check ? ` (${e.check})` : ''}`;
    it(`${scenario.name}: ${says}`, async () => {
      const em = scenario.projectTypes?.includes('consumer') === false ? b2b : consumer;
      const { error, seen } = await runAgainstOpenidClient(scenario, em);
      if (e.outcome === 'reject' && e.by === 'openid-client') {
        expect(error, 'openid-client accepted a response the catalogue says it rejects').toBeDefined();
        expect(error!.code, String(error!.message)).toBe(e.code);
        if (e.check) expect(checkOf(error!), String(error!.message)).toContain(e.check);
        return;
      }
      expect(error, `openid-client rejected it: ${String(error?.code)} ${String(error?.message)}`).toBeUndefined();
      await WITNESS[scenario.name as FaultName]!(seen!);
    });
  }
});
