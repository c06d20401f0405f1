/** The report for people: a header, one line per row as it finishes (with the fix for a failed one), a summary. */
import type { ConformanceReport, ConformanceRow } from '../run.ts';

const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Wide enough for every scenario name. */
const NAME_WIDTH = 34;

export function headerLines(target: ConformanceReport['target'], color: boolean): string[] {
  return [
    paint(color, '1', 'Hostile-provider conformance'),
    `  relying party  ${target.rpLoginUrl} (protected: ${target.rpProtectedUrl})`,
    `  emulator       ${target.emulatorUrl} (client ${target.clientId})`,
    '  baseline       a normal login signed in with this client',
    '',
  ];
}

export function rowLines(row: ConformanceRow, color: boolean): string[] {
  const dim = (text: string) => paint(color, '2', text);
  const name = row.scenario.padEnd(NAME_WIDTH);
  if (row.result === 'skip') return [`  ${dim('–')} ${name} ${dim(`skipped: ${row.detail}`)}`];
  if (row.result === 'not-exercised')
    return [`  ${paint(color, '33', '○')} ${name} ${paint(color, '33', 'not exercised')}: ${row.detail}`, ...troubleLines(row, dim)];
  const mark = row.result === 'pass' ? paint(color, '32', '✔') : paint(color, '31', '✖');
  // The detail starts with what happened ("signed in: …", "refused: …"); a failed row shouts it.
  const detail = row.observed === 'error' ? `could not run: ${row.detail}` : row.detail;
  const [word = '', rest = ''] = /^(signed in|refused|could not run)(.*)$/s.exec(detail)?.slice(1) ?? [detail, ''];
  const said = row.result === 'fail' ? `${paint(color, '31', word.toUpperCase())}${rest}` : `${word}${rest}`;
  const lines = [`  ${mark} ${name} must ${row.expected} · ${said}`, ...troubleLines(row, dim)];
  if (row.result === 'fail') {
    lines.push(
      `      ${dim(`a correct relying party: ${row.rpMustDo}`)}`,
      `      ${dim(`source: ${row.source}${row.kind === 'hygiene' ? ` (docs/faults.md#${row.scenario})` : ''}`)}`,
    );
    if (row.artifacts) lines.push(`      ${dim(`trace: ${row.artifacts.trace}`)}`, `      ${dim(`screenshot: ${row.artifacts.screenshot}`)}`);
  }
  return lines;
}

function troubleLines(row: ConformanceRow, dim: (text: string) => string): string[] {
  return row.emulator.length ? [`      ${dim(`the emulator answered: ${row.emulator.join(', ')}`)}`] : [];
}

export function summaryLine(report: ConformanceReport, color: boolean): string {
  const { passed, failed, skipped, notExercised, durationMs } = report.summary;
  const text = `${passed} passed, ${failed} failed, ${notExercised} not exercised, ${skipped} skipped in ${(durationMs / 1000).toFixed(1)} s`;
  return paint(color, failed ? '31' : '32', text);
}
