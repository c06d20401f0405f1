/**
 * The one build: esbuild (it comes with tsx) bundles the TypeScript entry points into dist/ for plain `node`.
 * Every process that runs for someone runs the build: `npm start` and the rest of the CLI (bin/connected-app.js),
 * the benchmark's servers (bench/processes.ts) and the containers (Dockerfile). Without tsx's loader thread and
 * its transforms, a process starts with half the CPU and holds ~40 MiB less (docs/performance.md). Tests run the
 * TypeScript itself (vitest, Playwright).
 *
 * Never stale: `ensureBuilt()` reuses the current build only while every file it was built from (and this file)
 * has the size and modification time (to the millisecond) it had then; else it builds again (~0.5 s), so an edited .ts file is what
 * runs next. A fresh clone needs nothing more than `npm ci`: the first start builds.
 *
 * Layout: one directory per build, dist/<id>/, and dist/current, a symbolic link to the latest, replaced
 * atomically: a start never sees half a build, two builds at once both finish and the last one wins, and a
 * process keeps the build it started with (Node resolves the link). dist/ is never committed.
 *
 * Files next to the sources (views, static files, the demo seeds, package.json) are read where they are: in the
 * bundle, each module's `import.meta.url` is its source file's URL. Stack traces name the TypeScript files and
 * lines through source maps (`--enable-source-maps`).
 *
 * `node scripts/build.mjs` builds now, whatever the state of dist/.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const CURRENT = join(DIST, 'current');
/** In each build: every input file with the size and modification time it was built from. */
export const MANIFEST = 'manifest.json';
/** Older builds are removed once no process is likely to still load a chunk from them. */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/** The entry points, `dist/current/<name>.js`. The benchmark's exist in a checkout only (not in the image). */
export const ENTRIES = {
  cli: 'src/cli/main.ts',
  'auth-server': 'auth-server/src/main.ts',
  'client-app': 'client-app/src/main.ts',
  'mcp-server': 'mcp-server/src/main.ts',
  'bench-part': 'bench/part.ts',
  'bench-probe': 'bench/probe.ts',
  'bench-peer-op': 'bench/peer/op.ts',
  'bench-peer-rp': 'bench/peer/rp.ts',
};

/** Files that change the output without being imported. */
const BUILD_INPUTS = [relative(ROOT, fileURLToPath(import.meta.url)), 'tsconfig.json', 'package.json'];

/** The directory of an up-to-date build (building one first if needed); `<it>/<entry>.js` runs with plain node. */
export async function ensureBuilt() {
  return currentBuild() ?? build();
}

/** The file of an entry point in a build, from its source path (`bench/part.ts` → `<dir>/bench-part.js`). */
export function builtEntry(dir, source) {
  const name = Object.keys(ENTRIES).find((n) => ENTRIES[n] === source);
  if (!name) throw new Error(`${source} is not an entry point of scripts/build.mjs`);
  return join(dir, `${name}.js`);
}

/**
 * The current build if every input is unchanged, else undefined. `dist` is for tests: a directory laid out as
 * dist/ is, whose manifest may name inputs by absolute path.
 */
export function currentBuild(dist = DIST) {
  try {
    const dir = realpathSync(join(dist, 'current'));
    const { inputs } = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    for (const [file, [size, mtimeMs]] of Object.entries(inputs)) {
      const stat = statSync(resolve(ROOT, file));
      if (stat.size !== size || Math.trunc(stat.mtimeMs) !== mtimeMs) return undefined;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/** Builds into a new dist/<id>/ and makes it the current one; resolves with its directory. */
export async function build() {
  // esbuild is tsx's dependency: resolved from tsx, wherever npm put it.
  const esbuild = createRequire(createRequire(join(ROOT, 'package.json')).resolve('tsx/package.json'))('esbuild');
  const started = Date.now();
  const id = `${started.toString(36)}-${process.pid}`;
  const outdir = join(DIST, id);
  mkdirSync(DIST, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).filter(([, source]) => existsSync(join(ROOT, source)))),
    outdir,
    bundle: true,
    // Shared code in chunks, loaded when first imported: a command's modules load only when it runs.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies stay in node_modules, loaded by Node as they are.
    packages: 'external',
    sourcemap: 'linked',
    // The sources are in the repository; the maps only point at them (smaller maps, less to parse at start).
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
    plugins: [sourceImportMetaUrl(outdir)],
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...BUILD_INPUTS]) {
    const stat = statSync(join(ROOT, file));
    // Changed while this build read it: record it as stale, so that the next start builds again.
    inputs[file] = stat.mtimeMs < started ? [stat.size, Math.trunc(stat.mtimeMs)] : [-1, 0];
  }
  writeFileSync(join(outdir, MANIFEST), JSON.stringify({ inputs }));
  const previous = existsSync(CURRENT) ? readlinkSync(CURRENT) : undefined;
  const link = join(DIST, `.current-${id}`);
  symlinkSync(id, link);
  renameSync(link, CURRENT);
  removeOldBuilds([id, previous]);
  return outdir;
}

/** `import.meta.url` of each module → its source file's URL, computed from the bundle's own (so dist/ can move with the checkout). */
function sourceImportMetaUrl(outdir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const text = await readFile(path, 'utf8');
        const url = `new URL(${JSON.stringify(relative(outdir, path).split(sep).join('/'))}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

function removeOldBuilds(keep) {
  for (const name of readdirSync(DIST)) {
    if (keep.includes(name) || name === 'current') continue;
    const path = join(DIST, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another build meanwhile.
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = await build();
  const built = Object.keys(ENTRIES).filter((name) => existsSync(join(dir, `${name}.js`)));
  console.log(`Built ${built.join(', ')} into ${relative(process.cwd(), dir)}`);
}
