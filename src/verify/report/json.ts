/**
 * The report for machines (`--json`). The shape is versioned: fields are added, never renamed or removed,
 * within a version. Nothing in it is a secret or a token in full (see ../scrub.ts).
 */
import type { VerifyReport } from '../types.ts';

export const JSON_REPORT_VERSION = 1;

export function renderJson(report: VerifyReport, note?: string): string {
  return `${JSON.stringify(
    {
      version: JSON_REPORT_VERSION,
      ok: report.ok,
      exitCode: report.ok ? 0 : 1,
      target: { ...report.target, ...(note ? { note } : {}) },
      summary: report.summary,
      checks: report.results.map((r) => ({
        id: r.id,
        title: r.title,
        required: r.required,
        status: r.status,
        seen: r.seen,
        fix: r.fix ?? null,
        where: r.where ?? null,
        durationMs: r.durationMs,
        details: r.details ?? {},
      })),
    },
    null,
    2,
  )}\n`;
}
