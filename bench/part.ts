/**
 * One part of our stack in a process of its own, so that its CPU time and peak RSS are its own: the benchmark
 * runs `bench/part.ts` once per part, with `BENCH_STACK` holding the `startStack` options as JSON (the part, the
 * ports, the other parts' URLs). Stopped by SIGTERM, after which it exits cleanly (writing a `--cpu-prof`).
 */
import { startStack, type StackOptions } from '../src/stack.ts';

const stack = await startStack(JSON.parse(process.env.BENCH_STACK ?? '{}') as StackOptions);
const stop = () => void stack.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
