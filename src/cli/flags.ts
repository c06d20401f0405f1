/**
 * Command-line flags as environment variables: each option of a command has a `--flag` and a variable of the
 * same meaning, so that the command validates one `Env` (flags win over the environment) with `parseEnv`.
 */
import type { Env } from '../shared/config.ts';

export interface FlagOption {
  flag: string;
  env: string;
  /** Shown in `--help`. */
  help: string;
  /** A flag without a value (`--json`); its variable then takes `true`. */
  boolean?: true;
}

/** Turns `argv` into the variables of `options`; a malformed argument throws `usageError(message)`. */
export function flagsToEnv(argv: readonly string[], options: readonly FlagOption[], usageError: (message: string) => Error): Env {
  const out: Env = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw usageError(`Unexpected argument "${arg}". Options start with --; see --help.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = options.find((o) => o.flag === name);
    if (!option) throw usageError(`Unknown option --${name}. See --help.`);
    if (option.boolean) {
      if (eq !== -1) throw usageError(`--${name} takes no value.`);
      out[option.env] = 'true';
      continue;
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw usageError(`--${name} needs a value.`);
    out[option.env] = value;
  }
  return out;
}
