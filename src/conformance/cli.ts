/**
 * `npx connected-app conformance`: parse the options, run every scenario against the relying party while
 * printing each row, write the JUnit file if asked, and exit 0 only when every row passed (1 when one failed,
 * 2 when the run could not start, 130 after Ctrl-C, which first switches the client's faults off).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { ChromiumNotFoundError } from '../chromium/resolve.ts';
import { loadDotEnv, type Env } from '../shared/config.ts';
import { ConformanceError, FaultSwitch } from './emulator.ts';
import { helpText, parseInput, UsageError, type ConformanceInput } from './input.ts';
import { headerLines, rowLines, summaryLine } from './report/human.ts';
import { renderJunit } from './report/junit.ts';
import { runConformance, type ConformanceReport, type RunHooks } from './run.ts';

export interface ConformanceIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Env;
}

export async function conformanceCommand(
  argv: readonly string[],
  io: ConformanceIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
  hooks: Pick<RunHooks, 'wait'> = {},
): Promise<{ exitCode: number; report?: ConformanceReport }> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${helpText()}\n`);
    return { exitCode: 0 };
  }
  let input: ConformanceInput;
  try {
    input = parseInput(argv, io.env);
  } catch (err) {
    if (err instanceof ChromiumNotFoundError) {
      io.stderr.write(`conformance could not run: ${err.message}\n`);
      return { exitCode: 2 };
    }
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.message}\n\nRun \`npx connected-app conformance --help\` for the options.\n`);
    return { exitCode: 2 };
  }

  const color = input.output.color ?? Boolean(io.stdout.isTTY && !io.env.NO_COLOR);
  const human = !input.output.json;
  // Progress goes to stderr, and only to a terminal: logs and pipes get the rows alone.
  const onProgress = io.stderr.isTTY ? (message: string) => io.stderr.write(`\r\x1b[2K  … ${message}`) : undefined;
  const clearProgress = () => io.stderr.isTTY && io.stderr.write('\r\x1b[2K');
  // Ctrl-C: a fault left on would break the relying party for whoever logs in next. Switch it off, then leave
  // without a stack trace (Chromium is killed as the process exits).
  const interrupt = () => {
    clearProgress();
    io.stderr.write(`\nInterrupted: switching the faults off for client ${input.clientId}… `);
    void new FaultSwitch(input.emulator, input.clientId, 5000)
      .clear()
      .then(
        () => io.stderr.write('done.\n'),
        (err: unknown) =>
          io.stderr.write(
            `failed (${err instanceof Error ? err.message : String(err)}): switch them off with DELETE /emulator/clients/${input.clientId}/faults.\n`,
          ),
      )
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  let report: ConformanceReport;
  try {
    report = await runConformance(input, {
      ...hooks,
      ...(onProgress ? { onProgress } : {}),
      onStart: (target) => {
        if (human) io.stdout.write(`${headerLines(target, color).join('\n')}\n`);
      },
      onResult: (row) => {
        clearProgress();
        if (human) io.stdout.write(`${rowLines(row, color).join('\n')}\n`);
      },
    });
  } catch (err) {
    clearProgress();
    if (!(err instanceof ConformanceError)) throw err;
    io.stderr.write(`conformance could not run: ${err.message}\n`);
    return { exitCode: 2 };
  } finally {
    process.removeListener('SIGINT', interrupt);
  }
  clearProgress();
  if (human) io.stdout.write(`\n${summaryLine(report, color)}\n`);
  else io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (input.output.junit) writeFileSync(input.output.junit, renderJunit(report));
  return { exitCode: report.ok ? 0 : 1, report };
}

/** This command's entry in src/cli/commands.ts. */
export const run: Command['run'] = async (argv) => {
  loadDotEnv();
  return (await conformanceCommand(argv)).exitCode;
};
