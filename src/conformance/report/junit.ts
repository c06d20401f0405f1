/**
 * The report for CI systems (`--junit FILE`): one test case per scenario; a failed row is a <failure>, so the
 * failure count matches the exit status; a scenario that did not apply is <skipped>.
 */
import { xmlText as xml } from '../../shared/xml.ts';
import type { ConformanceReport } from '../run.ts';

export function renderJunit(report: ConformanceReport): string {
  const { passed, failed, skipped, durationMs } = report.summary;
  const tests = passed + failed + skipped;
  const time = (durationMs / 1000).toFixed(3);
  const cases = report.rows.map((r) => {
    const attrs = `classname="connected-app conformance" name="${xml(`${r.scenario}: must ${r.expected}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    if (r.result === 'skip') return `    <testcase ${attrs}>\n      <skipped message="${xml(r.detail)}"/>\n    </testcase>`;
    if (r.result === 'fail') {
      const message = r.observed === 'error' ? `could not run: ${r.detail}` : `must ${r.expected}, but ${r.detail}`;
      return `    <testcase ${attrs}>\n      <failure message="${xml(message)}" type="${xml(r.scenario)}">${xml(`${message}\na correct relying party: ${r.rpMustDo}\nsource: ${r.source}`)}</failure>\n    </testcase>`;
    }
    return `    <testcase ${attrs}>\n      <system-out>${xml(r.detail)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="connected-app conformance" tests="${tests}" failures="${failed}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${xml(`connected-app conformance: ${report.target.rpLoginUrl}`)}" tests="${tests}" failures="${failed}" errors="0" skipped="${skipped}" time="${time}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
