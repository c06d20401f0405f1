/**
 * vitest's global setup: builds what `npm start` runs (scripts/build.mjs) once, before any test file starts, so
 * that the tests that start the CLI (bin/connected-app.js) reuse one build instead of each building its own at
 * the same moment on two cores.
 */
import { ensureBuilt } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
