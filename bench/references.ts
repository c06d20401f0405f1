/**
 * What the benchmark compares against, measured on this machine in the same run:
 * - the signing floor: RS256 signatures per second with jose (one at a time, and with as many in flight as
 *   libuv's thread pool can run, which is how a server signs under load);
 * - the cost of one password hash with the emulator's scrypt parameters (never lowered for a benchmark);
 * - `npm start`'s time to all-healthy (the Playwright suite's wall time is in ./playwright.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { SCRYPT_DEFAULTS } from '../src/emulator/index.ts';
import { ensureBuilt } from '../scripts/build.mjs';
import { freePort } from '../test/support/ports.ts';
import { allHealthy, ROOT } from './processes.ts';

export interface SigningReference {
  algorithm: 'RS256';
  keyBits: 2048;
  /** One signature at a time, on one thread. */
  sequentialPerSecond: number;
  /** `inFlight` signatures at a time (WebCrypto signs on the libuv thread pool). */
  parallelPerSecond: number;
  inFlight: number;
}

async function rate(durationMs: number, inFlight: number, once: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await once();
        done += 1;
      }
    }),
  );
  return Math.round(done / ((performance.now() - start) / 1000));
}

export async function measureSigning(durationMs = 1500): Promise<SigningReference> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const sign = () =>
    new SignJWT({ sub: 'user-test-1', scope: 'openid email profile offline_access' })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
      .setIssuer('http://127.0.0.1')
      .setAudience('bench')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  await rate(200, 1, sign); // warm-up
  const inFlight = 8;
  return {
    algorithm: 'RS256',
    keyBits: 2048,
    sequentialPerSecond: await rate(durationMs, 1, sign),
    parallelPerSecond: await rate(durationMs, inFlight, sign),
    inFlight,
  };
}

/** Milliseconds for one scrypt hash with the emulator's parameters (the work of one password login). */
export async function measurePasswordHash(samples = 3): Promise<{ params: typeof SCRYPT_DEFAULTS; msPerHash: number }> {
  const { N, r, p, keylen } = SCRYPT_DEFAULTS;
  const maxmem = 256 * N * r + 1024 * 1024;
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    await new Promise<Buffer>((resolve, reject) =>
      scrypt('correct horse', randomBytes(16), keylen, { N, r, p, maxmem }, (e, k) => (e ? reject(e) : resolve(k))),
    );
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { params: SCRYPT_DEFAULTS, msPerHash: Math.round(times[Math.floor(times.length / 2)]!) };
}

/**
 * Time from launching `npx connected-app start` (what `npm start` runs) with an empty data directory to every
 * server's `/healthz` answering (emulator, auth-server, client-app, mcp-server), on free ports. The build is
 * brought up to date first, as the benchmark's own processes were (scripts/build.mjs): this times a start, not an
 * edit's rebuild. The demo is stopped again with SIGINT, as Ctrl-C would.
 */
export async function measureStartup(): Promise<{ msToAllHealthy: number; freshDataDir: true }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const ports = {
    CLIENT_APP_PORT: await freePort(),
    AUTH_SERVER_PORT: await freePort(),
    STYTCH_EMULATOR_PORT: await freePort(),
    MCP_SERVER_PORT: await freePort(),
  };
  await ensureBuilt();
  const start = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/connected-app.js'), 'start'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitedWith: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    }),
  );
  try {
    await allHealthy(
      Object.values(ports).map((p) => `http://localhost:${p}/healthz`),
      () => (exitedWith ? `npm start ended early (${exitedWith}):\n${output}` : undefined),
    );
    return { msToAllHealthy: Math.round(performance.now() - start), freshDataDir: true };
  } finally {
    if (!exitedWith) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}
