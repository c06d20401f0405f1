/**
 * Loaded with `--import` into every process the benchmark starts (never into the apps' own code): answers the
 * parent's `stats` message over IPC with
 * - this process's CPU time and peak RSS;
 * - the number of RSA signatures and verifications made through WebCrypto (jose signs and verifies with
 *   `crypto.subtle`) or node:crypto's one-shot `sign`/`verify` (the emulator's keyring signs and verifies with them);
 * - when switched on (`{ routeCpu: true }`, at one flow at a time), the CPU time of each route it served, for
 *   requests that had the process to themselves (no other request in flight from start to finish): at one flow
 *   at a time, that is every request, and it is the cost of that step in that process, including the client side
 *   of the calls it makes to other processes. Off by default: `process.cpuUsage()` (getrusage) twice per request
 *   showed up in profiles at high concurrency, where its numbers would be meaningless anyway.
 */
import crypto, { webcrypto } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

const counts = { sign: 0, verify: 0 };
const subtle = Object.getPrototypeOf(webcrypto.subtle) as SubtleCrypto;
const sign = subtle.sign;
const verify = subtle.verify;
const isRsa = (algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams) => /^RSA/i.test(typeof algorithm === 'string' ? algorithm : algorithm.name);
subtle.sign = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['sign']>) {
  if (isRsa(args[0])) counts.sign += 1;
  return sign.apply(this, args);
} as SubtleCrypto['sign'];
subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
  if (isRsa(args[0])) counts.verify += 1;
  return verify.apply(this, args);
} as SubtleCrypto['verify'];

// The one-shot functions, wrapped on the module object; the ESM named exports (`import { sign }`) follow it.
const isRsaKey = (key: unknown): boolean => {
  const k = (key && typeof key === 'object' && 'key' in key ? (key as { key: unknown }).key : key) as { asymmetricKeyType?: unknown } | undefined;
  return typeof k === 'object' && k !== null && k.asymmetricKeyType === 'rsa';
};
const oneShotSign = crypto.sign;
const oneShotVerify = crypto.verify;
crypto.sign = ((...args: unknown[]) => {
  if (isRsaKey(args[2])) counts.sign += 1;
  return (oneShotSign as (...a: unknown[]) => unknown)(...args);
}) as typeof crypto.sign;
crypto.verify = ((...args: unknown[]) => {
  if (isRsaKey(args[2])) counts.verify += 1;
  return (oneShotVerify as (...a: unknown[]) => unknown)(...args);
}) as typeof crypto.verify;
syncBuiltinESMExports();

/** Requests of one route; CPU microseconds of those that ran alone in the process, and how many there were. */
export interface RouteCpu {
  requests: number;
  alone: number;
  cpuMicros: number;
}

interface InFlight {
  cpu: NodeJS.CpuUsage;
  alone: boolean;
}

const routes = new Map<string, RouteCpu>();
const inFlight = new Map<IncomingMessage, InFlight>();
let routeCpu = false;

/** `POST /interaction/abc…xyz/confirm` → `POST /interaction/:id/confirm`: random path segments become `:id`. */
export function routeOf(method: string | undefined, url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, '/:id');
  return `${method ?? 'GET'} ${path}`;
}

subscribe('http.server.request.start', (message) => {
  if (!routeCpu) return;
  const { request } = message as { request: IncomingMessage };
  // Another request in flight: neither this one nor those can be attributed on their own.
  const alone = inFlight.size === 0;
  for (const other of inFlight.values()) other.alone = false;
  inFlight.set(request, { cpu: process.cpuUsage(), alone });
});
subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: IncomingMessage; response: ServerResponse };
  const started = inFlight.get(request);
  if (!started) return;
  inFlight.delete(request);
  const key = routeOf(request.method, request.url);
  const route = routes.get(key) ?? { requests: 0, alone: 0, cpuMicros: 0 };
  routes.set(key, route);
  route.requests += 1;
  if (!started.alone) return;
  const used = process.cpuUsage(started.cpu);
  route.alone += 1;
  route.cpuMicros += used.user + used.system;
});

export interface ProcessStats {
  /** CPU seconds (user + system) since the process started. */
  cpuSeconds: number;
  /** Peak resident set size since the process started, in MiB. */
  peakRssMiB: number;
  rssMiB: number;
  rsaSignatures: number;
  rsaVerifications: number;
  /** Since the process started, by route (see above). */
  routes: Record<string, RouteCpu>;
}

export function stats(): ProcessStats {
  const usage = process.resourceUsage();
  return {
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    peakRssMiB: usage.maxRSS / 1024,
    rssMiB: process.memoryUsage.rss() / 1024 / 1024,
    rsaSignatures: counts.sign,
    rsaVerifications: counts.verify,
    routes: Object.fromEntries([...routes].map(([k, v]) => [k, { ...v }])),
  };
}

if (process.send) {
  process.on('message', (message: unknown) => {
    if (message === 'stats') process.send?.({ stats: stats() });
    else if (typeof message === 'object' && message !== null && 'routeCpu' in message) {
      routeCpu = message.routeCpu === true;
      inFlight.clear();
    }
  });
  // The IPC channel must not keep a stopped server alive.
  process.channel?.unref();
  // The benchmark went away without stopping us (crash, kill -9): stop as `stop()` would have, gracefully.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
