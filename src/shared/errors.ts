/**
 * Base class for every error this project raises on purpose.
 *
 * As in `jose` (`ERR_JWT_EXPIRED`), callers branch on the stable `code`, never on the message text.
 * Each app maps its codes to an HTTP / OAuth response in exactly one place.
 */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Raised at start-up when configuration is missing or invalid; the message names each variable. */
export class ConfigError extends CodedError<'ERR_CONFIG_INVALID'> {
  readonly problems: readonly string[];

  constructor(app: string, problems: readonly string[]) {
    super('ERR_CONFIG_INVALID', `${app}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
