/**
 * Summarises the `.cpuprofile` files written by `npm run bench -- --cpu-prof DIR`: where each process spent its
 * CPU, by self time per function and per package (or repository file), and total (inclusive) time of the
 * functions that matter most. Usage: `npx tsx bench/profile.ts DIR [--top N]`. Open the files themselves in
 * Chrome DevTools (Performance → Load profile) for the call trees. The processes run the build (scripts/build.mjs):
 * positions in it are mapped back to the TypeScript files through its source maps.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './processes.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Self time per package (`node_modules/<name>`), per repository file, or per V8/Node category. */
  byArea: Array<{ area: string; ms: number; share: number }>;
  /** Self time per function. */
  bySelf: Array<{ fn: string; ms: number; share: number }>;
  /** Inclusive time per function (a function's own time plus everything it called). */
  byTotal: Array<{ fn: string; ms: number; share: number }>;
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** A frame's file and line, in the TypeScript source when it ran from the build (which has a source map next to each file). */
function source(frame: ProfileNode['callFrame']): { url: string; lineNumber: number } {
  const path = frame.url.replace(/^file:\/\//, '');
  if (!path.endsWith('.js') || !path.includes('/dist/')) return frame;
  if (!sourceMaps.has(path)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    sourceMaps.set(path, map);
  }
  const entry = sourceMaps.get(path)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !('originalSource' in entry)) return frame;
  return { url: resolve(dirname(path), entry.originalSource.replace(/^file:\/\//, '')), lineNumber: entry.originalLine };
}

function area(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = path.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (path.startsWith('node:')) return path;
  return relative(ROOT, path);
}

function label(node: ProfileNode): string {
  const { functionName } = node.callFrame;
  const { url, lineNumber } = source(node.callFrame);
  return `${functionName || '(anonymous)'} ${url ? `${area(url, functionName)}:${lineNumber + 1}` : ''}`.trim();
}

export function summarise(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const idle = [...byId.values()].filter((n) => n.callFrame.functionName === '(idle)').reduce((us, n) => us + (selfUs.get(n.id) ?? 0), 0);
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) - idle;

  const areas = new Map<string, number>();
  const selves = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    const a = area(source(node.callFrame).url, node.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    selves.set(label(node), (selves.get(label(node)) ?? 0) + us);
    // Inclusive: each distinct function on the sample's stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!);
      if (seen.has(l)) continue;
      seen.add(l);
      totals.set(l, (totals.get(l) ?? 0) + us);
    }
  }
  const rank = <K extends string>(map: Map<string, number>, key: K) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, us]) =>
          ({ [key]: name, ms: Math.round(us / 1000), share: Math.round((us / totalUs) * 1000) / 10 }) as { [P in K]: string } & { ms: number; share: number },
      );
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    byArea: rank(areas, 'area'),
    bySelf: rank(selves, 'fn'),
    byTotal: rank(
      new Map(
        [...totals].filter(
          ([l]) => !/^\((root|program|garbage collector)\)/.test(l) && !/processTicksAndRejections|runMicrotasks|listOnTimeout|processImmediate/.test(l),
        ),
      ),
      'fn',
    ),
  };
}

/**
 * The main thread's profile of each process under `dir` (one sub-directory per process, see processes.ts):
 * the largest file, since a worker thread writes a small profile of its own next to it.
 */
export function mainThreadProfiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const files = readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(dir, d.name, f))
        .sort((a, b) => statSync(b).size - statSync(a).size);
      return files.slice(0, 1);
    });
}

export function formatSummary(s: ProfileSummary): string {
  const rows = (title: string, list: Array<{ ms: number; share: number } & Record<string, unknown>>, key: string) =>
    [title, ...list.map((r) => `  ${String(r.share.toFixed(1)).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${String(r[key])}`)].join('\n');
  return [
    `${s.file}: ${s.totalMs} ms of CPU (idle excluded)`,
    rows('Self time by package or file:', s.byArea, 'area'),
    rows('Self time by function:', s.bySelf, 'fn'),
    rows('Total time (self + callees) by function:', s.byTotal, 'fn'),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) {
    console.error('Usage: npx tsx bench/profile.ts DIR [--top N]');
    process.exit(2);
  }
  for (const file of mainThreadProfiles(dir)) console.log(`${formatSummary(summarise(file, Number(values.top ?? 15)))}\n`);
}
