/**
 * Fault injection: the admin endpoint, per-client isolation, the seed's `faults` field, and each scenario
 * proved against a real relying party (openid-client v6 with the project's settings): one row per
 * scenario with what the RP must do, as openid-client's own conformance modules list them.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSeedClient } from '../../clients/model.ts';
import type { FaultName } from '../../faults/index.ts';
import type { RunningEmulator } from '../../index.ts';
import { REDIRECT, createClient, decodeJwt, start, tokensFor, type Harness, type TestClient } from './helpers.ts';
import { codeFlow, discover } from './rp.ts';

let h: Harness;
let em: RunningEmulator;
beforeAll(async () => {
  h = await start('consumer', { now: () => Math.floor(Date.now() / 1000) });
  em = h.emulator;
});
afterAll(() => em.close());

const projectAuth = () => `Basic ${Buffer.from(`${em.projectId}:${em.secret}`).toString('base64')}`;

function admin(method: string, clientId: string, body?: unknown, authorization = projectAuth()): Promise<Response> {
  return fetch(`${em.url}/emulator/clients/${clientId}/faults`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

async function withFaults(scenarios: FaultName[], params: Record<string, number> = {}): Promise<TestClient> {
  const client = await createClient(em, { client_type: 'third_party' });
  const res = await admin('PUT', client.client_id, { scenarios, params });
  expect(res.status).toBe(200);
  return client;
}

describe('admin endpoint', () => {
  it('PUT, GET and DELETE a client’s scenarios (Basic project auth)', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const put = await admin('PUT', client.client_id, { scenarios: ['invalid-iss', 'token-5xx'] });
    expect(await put.json()).toMatchObject({ client_id: client.client_id, scenarios: ['invalid-iss', 'token-5xx'], status_code: 200 });
    expect(await (await admin('GET', client.client_id)).json()).toMatchObject({ scenarios: ['invalid-iss', 'token-5xx'] });
    expect(await (await admin('DELETE', client.client_id)).json()).toMatchObject({ scenarios: [] });
    expect(await (await admin('GET', client.client_id)).json()).toMatchObject({ scenarios: [] });
  });

  it.each([
    ['no project credentials', () => admin('GET', 'x', undefined, 'Basic Zm9vOmJhcg=='), 401, 'unauthorized_credentials'],
    ['an unknown client', () => admin('PUT', 'connected-app-test-unknown', { scenarios: ['invalid-iss'] }), 404, 'connected_app_not_found'],
  ] as const)('refuses %s', async (_what, send, status, errorType) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error_type: string }).error_type).toBe(errorType);
  });

  it('refuses an unknown scenario name', async () => {
    const client = await createClient(em, { client_type: 'third_party' });
    const res = await admin('PUT', client.client_id, { scenarios: ['not-a-scenario'] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_type: string }).error_type).toBe('bad_request');
  });

  it('lists the catalogue with what the RP must do', async () => {
    const res = await fetch(`${em.url}/emulator/faults`, { headers: { authorization: projectAuth() } });
    const body = (await res.json()) as { scenarios: Array<{ name: string; rp_must: string }> };
    expect(body.scenarios.map((s) => s.name)).toEqual([
      'invalid-iss', 'invalid-aud', 'invalid-sig-rs256', 'alg-none', 'kid-unknown', 'expired', 'nonce-invalid', 'refresh-invalid-sub', 'token-slow', 'token-5xx',
    ]);
    expect(body.scenarios.every((s) => s.rp_must.length > 10)).toBe(true);
  });

  it('faults are per client: another client of the same project is unaffected', async () => {
    await withFaults(['invalid-iss']);
    const healthy = await createClient(em, { client_type: 'third_party' });
    const tokens = await tokensFor(em, healthy);
    expect(decodeJwt(tokens.id_token!).payload.iss).toBe(em.url);
  });

  it('the seed’s `faults` field activates scenarios for a seeded client', async () => {
    const clientId = 'connected-app-test-00000000-0000-4000-8000-0000000fa017';
    const secret = 'secret-test-SeededFaultyClientSecret_000000000000000';
    upsertSeedClient(em.ctx, { client_id: clientId, client_secret: secret, client_type: 'third_party', client_name: 'Faulty', redirect_urls: [REDIRECT], faults: ['invalid-aud'] });
    const tokens = await tokensFor(em, { client_id: clientId, client_secret: secret, client_type: 'third_party' });
    expect(decodeJwt(tokens.id_token!).payload.aud).not.toEqual([clientId]);
  });
});

type ErrorLike = { code?: unknown; error?: unknown; status?: unknown; name?: unknown; message?: unknown; cause?: unknown };

/** The error and its causes, flattened: openid-client wraps the underlying failure in `cause`. */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as ErrorLike | undefined, depth = 0; e && typeof e === 'object' && depth < 4; e = e.cause as ErrorLike | undefined, depth++) {
    parts.push(...[e.name, e.code, e.error, e.status, e.message].filter((v) => v !== undefined).map(String));
  }
  return parts.join(' | ');
}

interface ScenarioRow {
  scenario: FaultName;
  /** What openid-client (configured like the client-app) does with the response. */
  rp: { rejects: RegExp } | { accepts: true; then: (first: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers, config: oidc.Configuration) => Promise<void> };
  params?: Record<string, number>;
  configure?: (config: oidc.Configuration) => void;
}

const SCENARIO_TABLE: ScenarioRow[] = [
  { scenario: 'invalid-iss', rp: { rejects: /OAUTH_JWT_CLAIM_COMPARISON_FAILED.*"iss"/ } },
  { scenario: 'invalid-aud', rp: { rejects: /OAUTH_JWT_CLAIM_COMPARISON_FAILED.*"aud"/ } },
  { scenario: 'invalid-sig-rs256', rp: { rejects: /JWT signature verification failed/ } },
  { scenario: 'alg-none', rp: { rejects: /unexpected JWT "alg" header parameter/ } },
  { scenario: 'kid-unknown', rp: { rejects: /OAUTH_KEY_SELECTION_FAILED/ } },
  { scenario: 'expired', rp: { rejects: /OAUTH_JWT_TIMESTAMP_CHECK_FAILED.*"exp"/ } },
  { scenario: 'nonce-invalid', rp: { rejects: /OAUTH_JWT_CLAIM_COMPARISON_FAILED.*"nonce"/ } },
  {
    scenario: 'refresh-invalid-sub',
    // openid-client accepts it: comparing the refreshed ID token with the original is the app's job (RP-4).
    rp: {
      accepts: true,
      then: async (first, config) => {
        const refreshed = await oidc.refreshTokenGrant(config, first.refresh_token!);
        expect(refreshed.claims()!.sub).not.toBe(first.claims()!.sub);
        expect(refreshed.claims()!.iss).toBe(first.claims()!.iss);
      },
    },
  },
  { scenario: 'token-5xx', rp: { rejects: /unexpected HTTP response status code \| 500/ } },
  {
    scenario: 'token-slow',
    params: { token_delay_ms: 60_000 },
    // The RP's own timeout (1 s here) fires long before the emulator's 60 s stall ends.
    configure: (config) => {
      config.timeout = 1;
    },
    rp: { rejects: /timeout|aborted|TimeoutError/i },
  },
];

describe('each scenario against openid-client (client-app settings: RS256 pinned, signature checks on)', () => {
  for (const row of SCENARIO_TABLE) {
    const outcome = 'rejects' in row.rp ? `rejects (${row.rp.rejects.source})` : 'is accepted by openid-client; the app must check';
    it(`${row.scenario}: ${outcome}`, async () => {
      const client = await withFaults([row.scenario], row.params);
      const config = await discover(em, client);
      row.configure?.(config);
      const attempt = codeFlow(em, config, client);
      if ('rejects' in row.rp) {
        const err = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, 'the relying party accepted a faulty response').toBeDefined();
        expect(describeError(err)).toMatch(row.rp.rejects);
      } else {
        await row.rp.then(await attempt, config);
      }
    });
  }
});
