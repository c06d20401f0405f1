/**
 * A throwaway Redis for tests: Debian's `redis-server` on a free loopback port, in a temp directory, no
 * persistence; stopped (and the directory removed) by `stop()`. `.ci/run` installs redis-server; without it each
 * test that needs it fails with a message that says how to install it, rather than being skipped unnoticed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerProblem } from '../../src/cli/prerequisites.ts';
import { freePort } from './ports.ts';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;

function waitReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY.test(output)) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server on port ${port} exited with code ${code} before it was ready:\n${output.slice(-2000)}`));
    // Both streams stay in flowing mode after `ready`, so later log lines never fill a pipe and block Redis.
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}

async function startOnce(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'test-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await waitReady(child, port);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

/** Starts redis-server; retries on another port if the free port was taken between probing and binding. */
export async function startRedis(): Promise<TestRedis> {
  const missing = redisServerProblem();
  if (missing) throw new Error(missing);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startOnce();
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
