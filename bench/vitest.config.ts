import { defineConfig } from 'vitest/config';

/** The benchmark's smoke run, a check of its own in `npm test` (`npm run test:bench`), outside the unit suite. */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/test/**/*.test.ts'],
  },
});
