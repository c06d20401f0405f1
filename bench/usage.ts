/**
 * Arguments of the two checkout-only commands (`npm run bench`, `npm run soak`): `--help` prints the help and
 * exits 0; an invalid argument prints what is wrong, then the help, and exits 2.
 */
import { errorMessage } from '../src/shared/errors.ts';

/** The parsed options, or the exit code once `--help` or an invalid argument has been answered. */
export function optionsOrExitCode<T extends object>(parse: () => T | 'help', help: string): T | number {
  let options: T | 'help';
  try {
    options = parse();
  } catch (err) {
    console.error(`${errorMessage(err)}\n\n${help}`);
    return 2;
  }
  if (options === 'help') {
    console.log(help);
    return 0;
  }
  return options;
}
