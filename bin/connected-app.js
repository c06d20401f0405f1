#!/usr/bin/env node
// Entry point of `npx connected-app` and `npm start`: runs the CLI built from the TypeScript by scripts/build.mjs,
// which first builds it again when a source file changed. Stack traces name the .ts files (source maps).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../scripts/build.mjs';

process.setSourceMapsEnabled(true);
await import(pathToFileURL(join(await ensureBuilt(), 'cli.js')).href);
