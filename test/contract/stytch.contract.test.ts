/**
 * The contract suite: the same assertions against the local emulator (by default) and against a real Stytch
 * Test project (STYTCH_CONTRACT=1 with STYTCH_PROJECT_ID, STYTCH_SECRET, STYTCH_API_URL = the project's custom
 * domain, STYTCH_PROJECT_TYPE). A team runs it against its own project to measure the emulator's drift: a
 * failure there is a difference between the emulator and Stytch (docs/fidelity.md says which behaviours are
 * guesses). Without the credentials, STYTCH_CONTRACT=1 skips the suite and says why.
 *
 * Every call here is read-only or refused by validation, so nothing is created in the project.
 */
import { randomUUID } from 'node:crypto';
import * as stytch from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTED_DISCOVERY_FIELDS, startEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/shared/log.ts';
import { quietEmulatorClient } from '../../src/shared/stytch-sdk.ts';
import { stytchProjectFromEnv } from '../../src/stack.ts';
import { stytchError } from '../support/stytch-error.ts';

const againstStytch = process.env.STYTCH_CONTRACT === '1';

/** Why the suite cannot run against Stytch, or undefined. */
function missingCredentials(): string | undefined {
  if (!againstStytch) return undefined;
  const missing = ['STYTCH_PROJECT_ID', 'STYTCH_SECRET', 'STYTCH_API_URL'].filter((name) => !process.env[name]?.trim());
  return missing.length
    ? `STYTCH_CONTRACT=1 needs a Stytch Test project: set ${missing.join(', ')} (and STYTCH_PROJECT_TYPE=b2b for a B2B project). See docs/fidelity.md, "The contract suite".`
    : undefined;
}

const skipReason = missingCredentials();
if (skipReason) console.warn(`contract suite skipped: ${skipReason}`);

interface Target {
  projectType: 'consumer' | 'b2b';
  /** The project domain (custom domain): discovery, JWKS, OAuth endpoints. */
  domain: string;
  consumer?: stytch.Client;
  b2b?: stytch.B2BClient;
  close(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  if (againstStytch) {
    const project = stytchProjectFromEnv(process.env)!;
    const options = { project_id: project.projectId, secret: project.secret, custom_base_url: project.apiUrl };
    return {
      projectType: project.projectType,
      domain: project.apiUrl.replace(/\/$/, ''),
      ...(project.projectType === 'b2b' ? { b2b: new stytch.B2BClient(options) } : { consumer: new stytch.Client(options) }),
      close: async () => {},
    };
  }
  const em = await startEmulator({ projectType: 'consumer', db: ':memory:', host: '127.0.0.1', logger: createLogger('contract', 'silent') });
  return {
    projectType: 'consumer',
    domain: em.url,
    consumer: quietEmulatorClient(() => new stytch.Client({ project_id: em.projectId, secret: em.secret, env: em.url })),
    close: () => em.close(),
  };
}

describe.skipIf(skipReason !== undefined)(`contract: ${againstStytch ? 'a real Stytch project' : 'the local emulator'}`, () => {
  let t: Target;
  beforeAll(async () => {
    t = await openTarget();
  });
  afterAll(() => t?.close());

  const connectedApps = () => (t.consumer ?? t.b2b)!.connectedApp.clients;

  it('discovery: the documented fields, and the project domain as issuer', async () => {
    const res = await fetch(`${t.domain}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    for (const field of DOCUMENTED_DISCOVERY_FIELDS) expect(doc, field).toHaveProperty(field);
    expect(doc.issuer).toBe(t.domain);
    expect(doc.token_endpoint).toBe(`${t.domain}/v1/oauth2/token`);
  });

  it('JWKS: RSA signing keys only, no private parts', async () => {
    const { keys } = (await (await fetch(`${t.domain}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('an unknown Connected App is 404 connected_app_not_found', async () => {
    const err = await stytchError(() => connectedApps().get({ client_id: `connected-app-test-${randomUUID()}` }));
    expect(err).toMatchObject({ status_code: 404, error_type: 'connected_app_not_found' });
  });

  it('client creation: an unknown client_type and full access for a third-party client are refused by name', async () => {
    expect(await stytchError(() => connectedApps().create({ client_type: 'confidential' }))).toMatchObject({
      status_code: 400,
      error_type: 'invalid_connected_app_type',
    });
    expect(await stytchError(() => connectedApps().create({ client_type: 'third_party', full_access_allowed: true }))).toMatchObject({
      status_code: 400,
      error_type: 'third_party_clients_cannot_use_full_access',
    });
  });

  it('clients.search ends with next_cursor: null', async () => {
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await connectedApps().search({ limit: 100, ...(cursor ? { cursor } : {}) });
      cursor = page.results_metadata.next_cursor;
      pages += 1;
    } while (cursor && pages < 20);
    expect(cursor).toBeNull();
  });

  it('passwords.strengthCheck: zxcvbn, 3 or more passes', async () => {
    const passwords = t.consumer ? t.consumer.passwords : t.b2b!.passwords;
    const weak = await passwords.strengthCheck({ password: 'Summer2024' });
    expect(weak).toMatchObject({ valid_password: false, strength_policy: 'zxcvbn' });
    expect(weak.score).toBeLessThan(3);
    expect((await passwords.strengthCheck({ password: 'a-long-and-unusual-passphrase' })).valid_password).toBe(true);
  });

  it('sessions.authenticate without a session is 400 no_session_arguments', async () => {
    const sessions = t.consumer ? t.consumer.sessions : t.b2b!.sessions;
    expect(await stytchError(() => sessions.authenticate({} as { session_token: string }))).toMatchObject({
      status_code: 400,
      error_type: 'no_session_arguments',
    });
  });

  it('the token endpoint: an unknown client is invalid_client (status: the token_client_auth_401 guess)', async () => {
    const res = await fetch(`${t.domain}/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: 'https://app.example/cb',
        client_id: `connected-app-test-${randomUUID()}`,
        client_secret: 'x'.repeat(40),
      }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error?: string }).error).toBe('invalid_client');
  });
});

// The reason is in the report too, as the name of the skipped suite.
if (skipReason) {
  describe('contract: a real Stytch project', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
