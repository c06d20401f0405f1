/**
 * The report for people: one line per check (✔ ✖ ⚠ –, the check id, its title, how long it took), then what was
 * seen, and for problems the fix and where in the Dashboard to make it. Colour only when asked (a terminal).
 */
import type { CheckResult, VerifyReport } from '../types.ts';

const SYMBOL = { pass: '✔', fail: '✖', warn: '⚠', skip: '–' } as const;
const COLOUR = { pass: 32, fail: 31, warn: 33, skip: 90 } as const;

const GROUPS: Array<[prefix: string, heading: string]> = [
  ['project.', 'Project'],
  ['discovery.', 'Discovery and keys'],
  ['client.', 'Connected App registration and credentials'],
  ['authorization-url.', 'Authorization URL'],
  ['login.', 'Live login'],
  ['mcp.', 'MCP clients'],
];

function paint(on: boolean, code: number, text: string): string {
  return on ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** The status line: `✖ [client.redirect-uri] redirect_uri is registered exactly (3 ms)`, plus "(advisory)". */
export function statusLine(r: CheckResult, color = false): string {
  const advisory = r.required ? '' : ' (advisory)';
  return `${paint(color, COLOUR[r.status], SYMBOL[r.status])} ${paint(color, 1, `[${r.id}]`)} ${r.title}${advisory} ${paint(color, 90, `(${r.durationMs} ms)`)}`;
}

/** The lines under a status line: what was seen; for problems the fix and the Dashboard location. */
export function detailLines(r: CheckResult, color = false): string[] {
  const lines = [`    ${r.seen}`];
  if (r.fix && r.status !== 'pass') lines.push(`    ${paint(color, 36, 'fix:')} ${r.fix}`);
  if (r.where && (r.status === 'fail' || r.status === 'warn'))
    lines.push(`    ${paint(color, 36, 'where:')} Stytch Dashboard › ${r.where.path} (${r.where.url})`);
  return lines;
}

export function groupOf(id: string): string {
  return GROUPS.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'Other';
}

export function headerLines(report: Pick<VerifyReport, 'target'>, note: string | undefined): string[] {
  const t = report.target;
  return [
    `connected-app verify: client ${t.clientId}${t.projectId ? ` in project ${t.projectId}` : ''}${t.issuer ? ` at ${t.issuer}` : ''}`,
    ...(note ? [note] : []),
    `redirect_uri ${t.redirectUri} · scopes "${t.scopes.join(' ')}"`,
  ];
}

export function summaryLine(report: VerifyReport, color = false): string {
  const s = report.summary;
  const parts = [
    `${s.passed} passed`,
    `${s.failed} failed${s.failed !== s.requiredFailed ? ` (${s.requiredFailed} required)` : ''}`,
    `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
    `${s.skipped} skipped`,
  ];
  const verdict = report.ok
    ? paint(color, 32, 'OK: every required check passed')
    : paint(color, 31, `NOT OK: ${s.requiredFailed} required check${s.requiredFailed === 1 ? '' : 's'} failed`);
  return `${verdict} · ${parts.join(', ')} · ${(s.durationMs / 1000).toFixed(1)} s`;
}
