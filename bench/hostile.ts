/**
 * Malformed and hostile requests at the endpoints that take input from strangers: the Authorization URL
 * (auth-server `GET /oauth/authorize`), the token, revocation and introspection endpoints (emulator), and the
 * Connected App's callback (client-app `GET /callback`). Every one must get an answer below 500.
 *
 * The requests come from a seeded generator (same seed, same requests), one shape per row of SHAPES, applied to
 * each endpoint in turn.
 */
import { request, type Dispatcher } from 'undici';

export interface HostileTargets {
  authServerUrl: string;
  emulatorUrl: string;
  clientAppUrl: string;
  /** A real client of the project: hostile requests also come with a known client_id. */
  clientId: string;
}

export interface HostileRequest {
  endpoint: string;
  shape: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface HostileResult {
  sent: number;
  /** Answers by status code (`no answer: …` for none). */
  byStatus: Record<string, number>;
  /** Requests answered 5xx, or not answered at all (timeout, connection reset): endpoint, shape and what came back. */
  failures: Array<{ endpoint: string; shape: string; outcome: string }>;
}

/** A small deterministic PRNG (mulberry32), so that a failing request can be generated again. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  "' OR 1=1 --",
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '%00',
  '\u0000',
  '\u202e\u0644\u0627',
  '😀'.repeat(50),
  'javascript:alert(1)',
  'http://evil.example/cb',
  '{"$gt":""}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style probe, meant literally
  '${jndi:ldap://x}',
  '%zz%',
  '\r\nSet-Cookie: x=1',
  'null',
  '[]',
  '-1',
  '9'.repeat(400),
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Basic Og==',
];

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const garbage = (rand: Rand, max = 200) =>
  Array.from({ length: 1 + Math.floor(rand() * max) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join('');
const value = (rand: Rand) => (rand() < 0.5 ? pick(rand, NASTY) : garbage(rand));

/** Fields each endpoint reads, so that hostile values land where the code looks. */
const FIELDS: Record<string, string[]> = {
  authorize: [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'prompt',
    'max_age',
    'request',
    'response_mode',
  ],
  token: ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'client_id', 'client_secret', 'scope'],
  revoke: ['token', 'token_type_hint', 'client_id', 'client_secret'],
  introspect: ['token', 'token_type_hint', 'client_id', 'client_secret'],
  callback: ['code', 'state', 'iss', 'error', 'error_description', 'session_state'],
};

type Params = Array<[string, string]>;

/** One row per kind of bad input: the parameters (or raw body) and headers it sends. */
const SHAPES: Array<
  [name: string, make: (rand: Rand, fields: string[], clientId: string) => { params?: Params; raw?: string; headers?: Record<string, string> }]
> = [
  ['nothing at all', () => ({ params: [] })],
  ['hostile values in every field', (rand, fields) => ({ params: fields.map((f) => [f, value(rand)]) })],
  [
    'the real client_id with hostile values',
    (rand, fields, clientId) => ({
      params: [['client_id', clientId], ...fields.filter((f) => f !== 'client_id').map((f): [string, string] => [f, value(rand)])],
    }),
  ],
  [
    'every field twice',
    (rand, fields) => ({
      params: fields.flatMap(
        (f): Params => [
          [f, value(rand)],
          [f, value(rand)],
        ],
      ),
    }),
  ],
  ['a 100 KB value', (rand, fields) => ({ params: [[pick(rand, fields), 'A'.repeat(100_000)]] })],
  ['unknown parameters only', (rand) => ({ params: Array.from({ length: 20 }, (): [string, string] => [garbage(rand, 30), value(rand)]) })],
  ['broken percent-encoding', (rand, fields) => ({ raw: fields.map((f) => `${f}=%${pick(rand, ['zz', 'E0%A4', 'C0%AF', '', 'FF%FE'])}`).join('&') })],
  [
    'a JSON body with wrong types',
    (rand, fields) => ({
      raw: JSON.stringify(Object.fromEntries(fields.map((f) => [f, pick(rand, [[], {}, 42, null, true, [value(rand)], { $ne: 1 }])]))),
      headers: { 'content-type': 'application/json' },
    }),
  ],
  ['invalid JSON', (rand) => ({ raw: `{"grant_type": ${garbage(rand, 40)}`, headers: { 'content-type': 'application/json' } })],
  [
    'a strange content type',
    (rand, fields) => ({
      raw: fields.map((f) => `${f}=${encodeURIComponent(value(rand))}`).join('&'),
      headers: {
        'content-type': pick(rand, ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/x-www-form-urlencoded; charset=utf-7']),
      },
    }),
  ],
  [
    'garbage Basic credentials',
    (rand, fields, clientId) => ({
      params: fields.map((f) => [f, value(rand)]),
      headers: {
        authorization: pick(rand, [
          'Basic !!!',
          'Basic Og==',
          `Basic ${Buffer.from(`${clientId}:${value(rand)}`).toString('base64')}`,
          'Basic',
          `Bearer ${garbage(rand, 60)}`,
          `Basic ${'A'.repeat(6000)}`,
        ]),
      },
    }),
  ],
  [
    'a forged cookie',
    (rand, fields) => ({
      params: fields.map((f) => [f, value(rand)]),
      headers: { cookie: `client-app.sid=s%3A${garbage(rand, 60).replace(/[;,\s]/g, '')}; auth-server.sid=${encodeURIComponent(garbage(rand, 40))}` },
    }),
  ],
];

const METHODS: Record<string, string[]> = {
  authorize: ['GET', 'GET', 'GET', 'POST', 'PUT'],
  token: ['POST', 'POST', 'POST', 'GET', 'DELETE'],
  revoke: ['POST', 'POST', 'POST', 'GET'],
  introspect: ['POST', 'POST', 'POST', 'GET'],
  callback: ['GET', 'GET', 'GET', 'POST'],
};

/** `count` requests, round robin over the endpoints, each of a shape picked by the seeded generator. */
export function hostileRequests(targets: HostileTargets, count: number, seed = 16): HostileRequest[] {
  const rand = prng(seed);
  const urls: Record<string, string> = {
    authorize: `${targets.authServerUrl}/oauth/authorize`,
    token: `${targets.emulatorUrl}/v1/oauth2/token`,
    revoke: `${targets.emulatorUrl}/v1/oauth2/revoke`,
    introspect: `${targets.emulatorUrl}/v1/oauth2/introspect`,
    callback: `${targets.clientAppUrl}/callback`,
  };
  const endpoints = Object.keys(urls);
  return Array.from({ length: count }, (_, i) => {
    const endpoint = endpoints[i % endpoints.length]!;
    const [shape, make] = pick(rand, SHAPES);
    const made = make(rand, FIELDS[endpoint]!, targets.clientId);
    const method = pick(rand, METHODS[endpoint]!);
    const query = made.params ? new URLSearchParams(made.params).toString() : (made.raw ?? '');
    const inBody = method !== 'GET';
    const url = inBody || !query ? urls[endpoint]! : `${urls[endpoint]}?${query}`;
    const headers: Record<string, string> = { ...(inBody && made.params ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...made.headers };
    return { endpoint, shape, method, url, headers, ...(inBody ? { body: query } : {}) };
  });
}

/**
 * Sends the requests `concurrency` at a time, request i from `senders[i % senders.length]` (several source
 * addresses, so that the per-IP rate limits do not answer most of them with 429 before their input is read).
 * A request unanswered after `timeoutMs` is a failure.
 */
export async function sendHostile(
  requests: readonly HostileRequest[],
  senders: readonly Dispatcher[],
  concurrency: number,
  timeoutMs = 10_000,
): Promise<HostileResult> {
  const result: HostileResult = { sent: 0, byStatus: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i]!;
      const dispatcher = senders[i % senders.length]!;
      let outcome: string;
      let failed: boolean;
      try {
        const res = await request(r.url, {
          method: r.method as Dispatcher.HttpMethod,
          headers: r.headers,
          body: r.body,
          dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await res.body.dump();
        outcome = String(res.statusCode);
        failed = res.statusCode >= 500;
      } catch (err) {
        outcome = `no answer: ${(err as Error).message.split('\n')[0]}`;
        failed = true;
      }
      result.sent += 1;
      result.byStatus[outcome] = (result.byStatus[outcome] ?? 0) + 1;
      if (failed && result.failures.length < 20) result.failures.push({ endpoint: `${r.method} ${r.endpoint}`, shape: r.shape, outcome });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}
