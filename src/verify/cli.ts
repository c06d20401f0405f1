/**
 * `npx connected-app verify`: parse the inputs, resolve the target (a project, or a local emulator started here),
 * run the checks while streaming the report, write the JUnit file if asked, and exit 0 only when every required
 * check passed (1 otherwise, 2 when verify could not start: invalid options, no Chromium for the live login).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { ChromiumNotFoundError, requireChromium } from '../chromium/resolve.ts';
import { loadDotEnv } from '../shared/config.ts';
import { ConfigError } from '../shared/errors.ts';
import { describeTarget, runVerify } from './index.ts';
import { helpText, logsIn, parseInput, UsageError, type VerifyInput } from './input.ts';
import { detailLines, groupOf, headerLines, statusLine, summaryLine } from './report/human.ts';
import { renderJson } from './report/json.ts';
import { renderJunit } from './report/junit.ts';
import { createProgress } from './report/progress.ts';
import { resolveTarget } from './target.ts';
import type { VerifyReport } from './types.ts';

export interface VerifyIo {
  stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
}

export async function verifyCommand(
  argv: readonly string[],
  io: VerifyIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<{ exitCode: number; report?: VerifyReport }> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${helpText()}\n`);
    return { exitCode: 0 };
  }
  let input: VerifyInput;
  try {
    input = parseInput(argv, io.env);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n\nRun \`npx connected-app verify --help\` for the options.\n`);
      return { exitCode: 2 };
    }
    throw err;
  }
  // Before anything starts: without a browser the live login would fail only after the other checks.
  if (logsIn(input)) {
    try {
      input = { ...input, browserPath: requireChromium({ given: { path: input.browserPath, option: '--browser (VERIFY_BROWSER)' } }).path };
    } catch (err) {
      if (!(err instanceof ChromiumNotFoundError)) throw err;
      io.stderr.write(`verify could not start: ${err.message} Or run with --no-login.\n`);
      return { exitCode: 2 };
    }
  }

  let resolved: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    resolved = await resolveTarget(input);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`);
      return { exitCode: 2 };
    }
    throw err;
  }

  const color = input.output.color ?? Boolean(io.stdout.isTTY && !io.env.NO_COLOR);
  const human = !input.output.json;
  const progress = createProgress(io.stderr);
  let group = '';
  try {
    if (human) {
      io.stdout.write(`${headerLines({ target: describeTarget(resolved.target) }, resolved.note).join('\n')}\n`);
    }
    const report = await runVerify(resolved.target, {
      onProgress: (message) => progress.update(message),
      onResult: (r) => {
        if (!human) return;
        progress.clear();
        if (groupOf(r.id) !== group) {
          group = groupOf(r.id);
          io.stdout.write(`\n${color ? `\x1b[1m${group}\x1b[0m` : group}\n`);
        }
        io.stdout.write(`${[statusLine(r, color), ...detailLines(r, color)].join('\n')}\n`);
      },
    });
    progress.stop();
    if (human) io.stdout.write(`\n${summaryLine(report, color)}\n`);
    else io.stdout.write(renderJson(report, resolved.note));
    if (input.output.junit) writeFileSync(input.output.junit, renderJunit(report));
    return { exitCode: report.ok ? 0 : 1, report };
  } finally {
    progress.stop();
    await resolved.close();
  }
}

/** This command's entry in src/cli/commands.ts. */
export const run: Command['run'] = async (argv) => {
  loadDotEnv();
  return (await verifyCommand(argv)).exitCode;
};
