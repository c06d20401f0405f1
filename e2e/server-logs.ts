/**
 * Each server's log lines, kept in memory per worker so that a failed test gets the lines written while it
 * ran attached to its report (emulator.log, auth-server.log, client-app.log). The servers log through pino,
 * which redacts secrets and tokens before a line gets here.
 */
import type { DestinationStream } from 'pino';
import type { StackPart } from '../src/stack.ts';

const MAX_LINES = 20_000;

export class ServerLogs {
  private readonly lines = new Map<StackPart, string[]>();
  /** Lines dropped from the front of each buffer, so that marks stay valid after trimming. */
  private readonly dropped = new Map<StackPart, number>();

  stream(part: StackPart): DestinationStream {
    const lines: string[] = [];
    this.lines.set(part, lines);
    this.dropped.set(part, 0);
    return {
      write: (line: string) => {
        lines.push(line.endsWith('\n') ? line.slice(0, -1) : line);
        if (lines.length > MAX_LINES) {
          const extra = lines.length - MAX_LINES;
          lines.splice(0, extra);
          this.dropped.set(part, (this.dropped.get(part) ?? 0) + extra);
        }
      },
    };
  }

  /** The current end of every log, to slice from later. */
  mark(): Map<StackPart, number> {
    return new Map([...this.lines].map(([part, lines]) => [part, (this.dropped.get(part) ?? 0) + lines.length]));
  }

  /** What each server logged since `mark`, as text, for the parts that logged anything. */
  since(mark: Map<StackPart, number>): Array<[StackPart, string]> {
    return [...this.lines].flatMap(([part, lines]) => {
      const from = Math.max(0, (mark.get(part) ?? 0) - (this.dropped.get(part) ?? 0));
      const text = lines.slice(from).join('\n');
      return text ? [[part, `${text}\n`] as [StackPart, string]] : [];
    });
  }
}
