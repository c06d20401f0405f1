/**
 * Loaded with `--import` into every process the benchmark starts (never into the apps' own code): answers the
 * parent's `stats` message over IPC with this process's CPU time, peak RSS and the number of RSA signatures
 * and verifications made through WebCrypto (jose signs and verifies with `crypto.subtle`).
 */
import { webcrypto } from 'node:crypto';

const counts = { sign: 0, verify: 0 };
const subtle = Object.getPrototypeOf(webcrypto.subtle) as SubtleCrypto;
const sign = subtle.sign;
const verify = subtle.verify;
const isRsa = (algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams) =>
  /^RSA/i.test(typeof algorithm === 'string' ? algorithm : algorithm.name);
subtle.sign = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['sign']>) {
  if (isRsa(args[0])) counts.sign += 1;
  return sign.apply(this, args);
} as SubtleCrypto['sign'];
subtle.verify = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['verify']>) {
  if (isRsa(args[0])) counts.verify += 1;
  return verify.apply(this, args);
} as SubtleCrypto['verify'];

export interface ProcessStats {
  /** CPU seconds (user + system) since the process started. */
  cpuSeconds: number;
  /** Peak resident set size since the process started, in MiB. */
  peakRssMiB: number;
  rssMiB: number;
  rsaSignatures: number;
  rsaVerifications: number;
}

export function stats(): ProcessStats {
  const usage = process.resourceUsage();
  return {
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    peakRssMiB: usage.maxRSS / 1024,
    rssMiB: process.memoryUsage.rss() / 1024 / 1024,
    rsaSignatures: counts.sign,
    rsaVerifications: counts.verify,
  };
}

if (process.send) {
  process.on('message', (message: unknown) => {
    if (message === 'stats') process.send?.({ stats: stats() });
  });
  // The IPC channel must not keep a stopped server alive.
  process.channel?.unref();
  // The benchmark went away without stopping us (crash, kill -9): stop as `stop()` would have, gracefully.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
