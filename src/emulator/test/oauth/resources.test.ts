/**
 * RFC 8707 resource indicators: `resources` at authorize (the SDK's field, sent through the SDK), `resource` at the token
 * endpoint, and the access token's `aud` (the project id first, as Stytch issues it, then the resources).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../index.ts';
import { REDIRECT, authorize, createClient, decodeJwt, pkcePair, start, stytchError, type TestClient } from './helpers.ts';

const MCP = 'https://mcp.example.test/mcp';
const OTHER = 'https://other.example.test/api';

let em: RunningEmulator;
let pub: TestClient;
beforeAll(async () => {
  em = (await start('consumer')).emulator;
  pub = await createClient(em, { client_type: 'third_party_public' });
});
afterAll(() => em.close());

async function code(resources?: string[], scopes = ['openid', 'offline_access']) {
  const pkce = pkcePair();
  const { code } = await authorize(em, { client: pub, code_challenge: pkce.challenge, scopes, ...(resources ? { resources } : {}) });
  return { code, verifier: pkce.verifier };
}

/** Form body with `resource` repeated, as RFC 8707 §2 sends several. */
function tokenRequest(params: Record<string, string>, resources: string[] = []) {
  const body = new URLSearchParams({ ...params, client_id: pub.client_id });
  for (const r of resources) body.append('resource', r);
  return fetch(`${em.url}/v1/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

async function exchange(c: { code: string; verifier: string }, resources: string[] = []) {
  return tokenRequest({ grant_type: 'authorization_code', code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier }, resources);
}

async function audOf(res: Response): Promise<unknown> {
  expect(res.status).toBe(200);
  return decodeJwt(((await res.json()) as { access_token: string }).access_token).payload.aud;
}

describe('RFC 8707 resource indicators', () => {
  it('the granted resources join the project id in aud; a token request may narrow them', async () => {
    expect(await audOf(await exchange(await code([MCP, OTHER, MCP])))).toEqual([em.projectId, MCP, OTHER]);
    expect(await audOf(await exchange(await code([MCP, OTHER]), [OTHER]))).toEqual([em.projectId, OTHER]);
    expect(await audOf(await exchange(await code()))).toEqual([em.projectId]);
  });

  it('a refresh keeps the granted resources, or narrows them', async () => {
    const res = await exchange(await code([MCP, OTHER]), [MCP]);
    const { refresh_token } = (await res.json()) as { refresh_token: string };
    const first = await tokenRequest({ grant_type: 'refresh_token', refresh_token });
    const { refresh_token: next } = (await first.clone().json()) as { refresh_token: string };
    expect(await audOf(first)).toEqual([em.projectId, MCP, OTHER]);
    expect(await audOf(await tokenRequest({ grant_type: 'refresh_token', refresh_token: next }, [OTHER]))).toEqual([em.projectId, OTHER]);
  });

  it('invalid_target does not spend the code: the client can retry with a granted resource', async () => {
    const c = await code([MCP]);
    expect((await exchange(c, [OTHER])).status).toBe(400);
    expect(await audOf(await exchange(c, [MCP]))).toEqual([em.projectId, MCP]);
  });

  describe('negative table', () => {
    it.each([
      ['authorize: not an absolute URI', { authorize: ['mcp.example.test/mcp'] }, 'invalid_url'],
      ['authorize: a relative reference', { authorize: ['/mcp'] }, 'invalid_url'],
      ['authorize: a fragment', { authorize: [`${MCP}#tools`] }, 'invalid_url'],
    ])('%s → Stytch API 400 %s', async (_rule, row, errorType) => {
      const err = await stytchError(() => code(row.authorize));
      expect(err.status_code).toBe(400);
      expect(err.error_type).toBe(errorType);
    });

    it.each([
      ['token: a resource that was not granted', [MCP], [OTHER]],
      ['token: a resource when none was granted', undefined, [MCP]],
      ['token: one granted and one not', [MCP], [MCP, OTHER]],
      ['token: not an absolute URI', [MCP], ['mcp']],
      ['token: a fragment', [MCP], [`${MCP}#x`]],
    ])('%s → 400 invalid_target', async (_rule, granted, requested) => {
      const res = await exchange(await code(granted), requested);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_target');
    });

    it('refresh: a resource that was not granted → 400 invalid_target', async () => {
      const { refresh_token } = (await (await exchange(await code([MCP]))).json()) as { refresh_token: string };
      const res = await tokenRequest({ grant_type: 'refresh_token', refresh_token }, [OTHER]);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_target');
    });
  });
});
