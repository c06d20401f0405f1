/** The report for people: a header, one line per scenario as it finishes (with the fix for a failed one), a summary. */
import type { ConformanceReport, ConformanceRow } from '../run.ts';

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Wide enough for every scenario name. */
const NAME_WIDTH = 34;

export function headerLines(target: { rpLoginUrl: string; emulatorUrl: string; clientId: string }, color: boolean): string[] {
  return [
    paint(color, '1', 'Hostile-provider conformance'),
    `  relying party  ${target.rpLoginUrl}`,
    `  emulator       ${target.emulatorUrl} (client ${target.clientId})`,
    '',
  ];
}

export function rowLines(row: ConformanceRow, color: boolean): string[] {
  const mark = row.result === 'pass' ? paint(color, '32', '✔') : row.result === 'fail' ? paint(color, '31', '✖') : paint(color, '2', '–');
  const name = row.scenario.padEnd(NAME_WIDTH);
  if (row.result === 'skip') return [`  ${mark} ${name} ${paint(color, '2', `skipped: ${row.detail}`)}`];
  // The detail starts with what happened ("signed in at …", "refused at …"); a failed row shouts it.
  const detail = row.observed === 'error' ? `could not run: ${row.detail}` : row.detail;
  const [word = '', rest = ''] = /^(signed in|refused|could not run)(.*)$/s.exec(detail)?.slice(1) ?? [detail, ''];
  const said = row.result === 'fail' ? `${paint(color, '31', word.toUpperCase())}${rest}` : `${word}${rest}`;
  const lines = [`  ${mark} ${name} must ${row.expected} · ${said}`];
  if (row.result === 'fail')
    lines.push(`      ${paint(color, '2', `a correct relying party: ${row.rpMustDo}`)}`, `      ${paint(color, '2', `source: ${row.source}`)}`);
  return lines;
}

export function summaryLine(report: ConformanceReport, color: boolean): string {
  const { passed, failed, skipped, durationMs } = report.summary;
  const text = `${passed} passed, ${failed} failed, ${skipped} skipped in ${(durationMs / 1000).toFixed(1)} s`;
  return paint(color, failed ? '31' : '32', text);
}
