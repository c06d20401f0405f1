/**
 * The report for CI systems (`--junit FILE`): one test case per row; a failed row is a <failure>, so the failure
 * count matches the exit status; a row that did not apply, or whose fault was never delivered, is <skipped>
 * with its reason ("not exercised: …"), and the suite's properties count the two apart.
 */
import { xmlText as xml } from '../../shared/xml.ts';
import type { ConformanceReport } from '../run.ts';

export function renderJunit(report: ConformanceReport): string {
  const { passed, failed, skipped, notExercised, durationMs } = report.summary;
  const tests = passed + failed + skipped + notExercised;
  const time = (durationMs / 1000).toFixed(3);
  const cases = report.rows.map((r) => {
    const attrs = `classname="connected-app conformance" name="${xml(`${r.scenario}: must ${r.expected}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    const emulator = r.emulator.length ? `\nthe emulator answered: ${r.emulator.join(', ')}` : '';
    if (r.result === 'skip') return `    <testcase ${attrs}>\n      <skipped message="${xml(`skipped: ${r.detail}`)}"/>\n    </testcase>`;
    if (r.result === 'not-exercised')
      return `    <testcase ${attrs}>\n      <skipped message="${xml(`not exercised: ${r.detail}${emulator}`)}"/>\n    </testcase>`;
    if (r.result === 'fail') {
      const message = r.observed === 'error' ? `could not run: ${r.detail}` : `must ${r.expected}, but ${r.detail}`;
      const artifacts = r.artifacts ? `\ntrace: ${r.artifacts.trace}\nscreenshot: ${r.artifacts.screenshot}` : '';
      return `    <testcase ${attrs}>\n      <failure message="${xml(message)}" type="${xml(r.scenario)}">${xml(`${message}${emulator}\na correct relying party: ${r.rpMustDo}\nsource: ${r.source}${artifacts}`)}</failure>\n    </testcase>`;
    }
    return `    <testcase ${attrs}>\n      <system-out>${xml(`${r.detail}${emulator}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="connected-app conformance" tests="${tests}" failures="${failed}" skipped="${skipped + notExercised}" time="${time}">`,
    `  <testsuite name="${xml(`connected-app conformance: ${report.target.rpLoginUrl}`)}" tests="${tests}" failures="${failed}" errors="0" skipped="${skipped + notExercised}" time="${time}">`,
    '    <properties>',
    `      <property name="not-exercised" value="${notExercised}"/>`,
    `      <property name="skipped" value="${skipped}"/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
