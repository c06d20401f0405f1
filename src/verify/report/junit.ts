/**
 * The report for CI systems (`--junit FILE`): one test case per check. Only a required check that fails is a
 * JUnit <failure>, so the failure count matches the exit code; warnings and advisory failures are in <system-out>,
 * and skipped checks are <skipped>.
 */
import { xmlText as xml } from '../../shared/xml.ts';
import type { VerifyReport } from '../types.ts';
import { groupOf } from './human.ts';

export function renderJunit(report: VerifyReport): string {
  const failures = report.results.filter((r) => r.required && r.status === 'fail').length;
  const skipped = report.results.filter((r) => r.status === 'skip').length;
  const cases = report.results.map((r) => {
    const name = xml(`${r.id}: ${r.title}`);
    const attrs = `classname="${xml(`connected-app verify.${groupOf(r.id)}`)}" name="${name}" time="${(r.durationMs / 1000).toFixed(3)}"`;
    const where = r.where ? `\nwhere: Stytch Dashboard › ${r.where.path} (${r.where.url})` : '';
    if (r.status === 'skip') return `    <testcase ${attrs}>\n      <skipped message="${xml(r.seen)}"/>\n    </testcase>`;
    if (r.status === 'fail' && r.required) {
      return `    <testcase ${attrs}>\n      <failure message="${xml(r.seen)}" type="${xml(r.id)}">${xml(`${r.seen}\nfix: ${r.fix ?? ''}${where}`)}</failure>\n    </testcase>`;
    }
    const label = r.status === 'pass' ? '✔' : r.status === 'warn' ? '⚠' : '✖ (advisory)';
    const fix = r.status !== 'pass' && r.fix ? `\nfix: ${r.fix}${where}` : '';
    return `    <testcase ${attrs}>\n      <system-out>${xml(`${label} ${r.seen}${fix}`)}</system-out>\n    </testcase>`;
  });
  const time = (report.summary.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="connected-app verify" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${xml(`connected-app verify: ${report.target.clientId}`)}" tests="${report.results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
