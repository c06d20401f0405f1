/**
 * The catalogue of fault scenarios as people and tools read it, from the scenario data (one source):
 * the admin endpoint's JSON, `npx connected-app emulator --list-scenarios` (a table, `--json`, `--markdown`)
 * and the table in docs/faults.md (a test keeps the doc equal to `catalogueMarkdown()`).
 */
import type { ProjectType } from '../../shared/project.ts';
import { SCENARIOS } from './index.ts';
import type { ExpectedOutcome, FaultParams, FaultScenario, ScenarioOrigin, ScenarioStep } from './types.ts';

/** One scenario on the wire (snake case, like the rest of the emulator's JSON). */
export interface CatalogueEntry {
  name: string;
  description: string;
  rp_must: string;
  expected: ExpectedOutcome;
  origin: ScenarioOrigin;
  conformance_module: string;
  step: ScenarioStep;
  project_types: ProjectType[];
  needs_jwks_refetch: boolean;
  params: FaultParams;
}

export function catalogueEntry(s: FaultScenario): CatalogueEntry {
  return {
    name: s.name,
    description: s.description,
    rp_must: s.rpMustDo,
    expected: s.expected,
    origin: s.origin,
    conformance_module: s.conformanceModule,
    step: s.step,
    project_types: [...(s.projectTypes ?? ['consumer', 'b2b'])],
    needs_jwks_refetch: s.needsJwksRefetch ?? false,
    params: s.params ?? {},
  };
}

export function catalogue(): CatalogueEntry[] {
  return SCENARIOS.map(catalogueEntry);
}

/** `reject` or `accept`, as a correct relying party must. */
export function outcomeLabel(expected: ExpectedOutcome): string {
  return expected.outcome === 'accept' ? 'accept' : 'reject';
}

/** How openid-client reacts: its error code (and the check), or that the application must check. */
export function openidClientLabel(expected: ExpectedOutcome): string {
  if (expected.outcome === 'accept') return 'accepts';
  if (expected.by === 'application') return `accepts: the app must reject (client-app: ${expected.code})`;
  return expected.check ? `${expected.code} (${expected.check})` : expected.code;
}

function sourceLabel(s: FaultScenario): string {
  return s.conformanceModule.startsWith('(') ? `${s.origin} ${s.conformanceModule}` : `${s.origin}: ${s.conformanceModule}`;
}

/** The catalogue for a terminal: one line per scenario, fixed-width columns. */
export function catalogueTable(): string {
  const rows = SCENARIOS.map((s) => [s.name, outcomeLabel(s.expected), openidClientLabel(s.expected), sourceLabel(s)]);
  const head = ['scenario', 'RP must', 'openid-client', 'source'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;

/** The catalogue as the Markdown table of docs/faults.md. */
export function catalogueMarkdown(): string {
  const openidClient = (e: ExpectedOutcome) =>
    e.outcome === 'accept'
      ? 'accepts'
      : e.by === 'application'
        ? `accepts it: the application must reject (client-app: ${code(e.code)})`
        : `${code(e.code)}${e.check ? ` (${code(e.check)})` : ''}`;
  const source = (s: FaultScenario) =>
    s.conformanceModule.startsWith('(') ? `${s.origin} ${s.conformanceModule}` : `${s.origin}: ${code(s.conformanceModule)}`;
  const notes = (s: FaultScenario) =>
    [s.step === 'refresh' ? 'at refresh' : '', s.projectTypes ? `${s.projectTypes.join(', ')} only` : '', s.needsJwksRefetch ? 'needs a JWKS refetch' : '']
      .filter(Boolean)
      .map((n) => `<br>(${n})`)
      .join('');
  return [
    '| scenario | RP must | openid-client | source | the emulator… | a correct relying party… |',
    '|---|---|---|---|---|---|',
    ...SCENARIOS.map(
      (s) =>
        `| ${code(s.name)}${notes(s)} | **${outcomeLabel(s.expected)}** | ${cell(openidClient(s.expected))} | ${cell(source(s))} | ${cell(s.description)} | ${cell(s.rpMustDo)} |`,
    ),
  ].join('\n');
}
