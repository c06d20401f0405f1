/**
 * The benchmark's child processes: one per server, so that each one's CPU time and peak RSS are its own.
 * Each runs a real entry point (one part of our stack, or a peer's server) with `bench/probe.ts` preloaded, which
 * answers `stats` over IPC. They run the build of those entry points with plain node, as `npm start` and the
 * containers do (scripts/build.mjs; built again first when a source changed), not tsx. Stopped with SIGTERM (the
 * entry points exit cleanly, which also writes `--cpu-prof` profiles), then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtEntry, ensureBuilt } from '../scripts/build.mjs';
import type { ProcessStats } from './probe.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

export interface ChildOptions {
  name: string;
  /** The entry point's source, relative to the repository root (an entry of scripts/build.mjs). */
  script: string;
  args?: string[];
  env: Record<string, string>;
  /** Base URL whose `healthPath` answers 200 once the server is ready. */
  url: string;
  healthPath?: string;
  /** Directory for `--cpu-prof` output; unset = no profile. */
  cpuProfDir?: string | undefined;
  /** Node.js or V8 options (`--max-semi-space-size=32`), before the benchmark's own. */
  nodeOptions?: readonly string[] | undefined;
}

export interface Child {
  name: string;
  url: string;
  /** False once the process has exited (a crash, or after `stop`). */
  alive(): boolean;
  /** Stops the process (as `stop`) and starts it again with the same options: same port, same data. */
  restart(): Promise<void>;
  stats(): Promise<ProcessStats>;
  /** Switches the probe's CPU-per-route measurement on or off (see probe.ts). */
  measureRoutes(on: boolean): void;
  stop(): Promise<void>;
}

export async function startChild(options: ChildOptions): Promise<Child> {
  let current = await spawnChild(options);
  return {
    name: options.name,
    url: options.url,
    alive: () => current.running(),
    stop: () => current.stop(),
    async restart() {
      await current.stop();
      current = await spawnChild(options);
    },
    measureRoutes: (on) => {
      if (current.running()) current.process.send({ routeCpu: on });
    },
    stats: () => {
      const { process: child, running, stderr } = current;
      return new Promise<ProcessStats>((resolve, reject) => {
        if (!running()) return reject(new Error(`${options.name} is not running:\n${stderr()}`));
        const onMessage = (message: unknown) => {
          if (typeof message === 'object' && message && 'stats' in message) {
            child.off('message', onMessage);
            resolve((message as { stats: ProcessStats }).stats);
          }
        };
        child.on('message', onMessage);
        child.send('stats');
      });
    },
  };
}

interface Spawned {
  process: ChildProcess;
  running(): boolean;
  stderr(): string;
  stop(): Promise<void>;
}

/** Spawns the entry point and resolves once it answers its health check. */
async function spawnChild(options: ChildOptions): Promise<Spawned> {
  const dir = await ensureBuilt();
  const nodeArgs = [...(options.nodeOptions ?? []), '--enable-source-maps', '--import', builtEntry(dir, 'bench/probe.ts')];
  // One directory per process (bench/profile.ts reads them so): worker threads write profiles of their own.
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, options.name)}`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, builtEntry(dir, options.script), ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const stop = async () => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitHealthy(`${options.url}${options.healthPath ?? '/healthz'}`, () => (running ? undefined : `${options.name} exited:\n${stderr}`));
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: child, running: () => running, stderr: () => stderr, stop };
}

async function waitHealthy(url: string, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const reason = failed();
    if (reason) throw new Error(reason);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

/** Polls until every URL answers 200; resolves with the elapsed milliseconds (for launch-to-healthy). */
export async function allHealthy(urls: string[], failed: () => string | undefined = () => undefined): Promise<void> {
  await Promise.all(urls.map((u) => waitHealthy(u, failed)));
}
