/**
 * Regression: the emulator wrote no request log, so nobody could see which client revoked or introspected what.
 * One line per request: method, route pattern, status, who authenticated, duration, request id; no secrets.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../shared/log.ts';
import { createClient, introspect, postForm, start, tokensFor, type Harness, type TestClient, type Tokens } from './helpers.ts';

interface Line {
  msg: string;
  method?: string;
  route?: string | null;
  status?: number;
  ms?: number;
  reqId?: string;
  client_id?: string;
  project_id?: string;
}

describe('emulator request log', () => {
  const raw: string[] = [];
  let h: Harness;
  let client: TestClient;
  let tokens: Tokens;
  const lines = () => raw.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === 'request');

  beforeAll(async () => {
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        raw.push(String(chunk));
        done();
      },
    });
    h = await start('consumer', { logger: createLogger('emulator', 'info', sink) });
    client = await createClient(h.emulator, { client_type: 'third_party' });
    tokens = await tokensFor(h.emulator, client);
    await introspect(h.emulator, client, tokens.access_token);
    await postForm(h.emulator, '/v1/oauth2/revoke', { token: tokens.refresh_token! }, { client });
    await postForm(h.emulator, '/v1/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { client });
    await fetch(`${h.emulator.url}/v1/oauth2/token?code=leaked-in-the-query`, { method: 'POST' });
    await fetch(`${h.emulator.url}/no/such/route`);
  });
  afterAll(() => h?.emulator.close());

  it('one line per request with the route pattern, status, principal, duration and request id', () => {
    const summary = lines().map((l) => [l.method, l.route, l.status, l.client_id ?? l.project_id ?? null]);
    expect(summary).toEqual([
      ['POST', '/v1/connected_apps/clients', 200, h.emulator.projectId],
      ['POST', '/v1/idp/oauth/authorize', 200, h.emulator.projectId],
      ['POST', '/v1/oauth2/token', 200, client.client_id],
      ['POST', '/v1/oauth2/introspect', 200, client.client_id],
      ['POST', '/v1/oauth2/revoke', 200, client.client_id],
      ['POST', '/v1/oauth2/token', 400, client.client_id],
      ['POST', '/v1/oauth2/token', 400, null],
      ['GET', null, 404, null],
    ]);
    for (const line of lines()) {
      expect(line.ms).toBeTypeOf('number');
      expect(line.reqId).toMatch(/^request-id-test-[0-9a-f-]{36}$/);
    }
  });

  it('no token, secret or code reaches the log', () => {
    const out = raw.join('');
    for (const secret of [tokens.access_token, tokens.refresh_token!, tokens.id_token!, client.client_secret!, h.emulator.secret, 'leaked-in-the-query']) {
      expect(out).not.toContain(secret);
    }
  });
});
