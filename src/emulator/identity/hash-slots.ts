/**
 * How many password hashes run at once. A hash is a few hundred milliseconds of CPU (more on a busy machine) and
 * 32 MiB of memory (passwords.ts) on one of libuv's thread-pool threads (4 by default), and that pool also runs
 * every RSA signature (WebCrypto). With every login handed to the pool at
 * once, its queue fills with hashes, and the signature of each session JWT and token queued after them waits
 * for all of them: a burst of 32 logins on two cores stalled every flow, the logins included (each signs a
 * session JWT after its hash), past the callers' 10-second timeout. Waiting here instead, in arrival order,
 * keeps threads free for signatures, and bounds the memory hashes hold at once; the hash cost itself is unchanged.
 */
import { availableParallelism } from 'node:os';

export interface Slots {
  /** Runs `fn` when a slot is free (first come, first served). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

export function createSlots(max: number): Slots {
  if (!Number.isInteger(max) || max < 1) throw new Error(`slots: max must be a positive integer (got ${max})`);
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    async run(fn) {
      if (running < max) running += 1;
      // A finishing hash hands its slot straight to the next in line, so `running` never exceeds `max`.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}

const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/** Half the thread pool, and no more hashes than cores: the rest of the pool stays free for signatures. */
export const passwordHashSlots = createSlots(Math.max(1, Math.min(Math.floor(threadPoolSize / 2), availableParallelism())));
