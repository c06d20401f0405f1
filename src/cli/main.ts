/** `npx connected-app <command>`: one entry for every tool of the project (see ./commands.ts). */
import { COMMANDS } from './commands.ts';

function usage(): string {
  const width = Math.max(8, ...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'Usage: npx connected-app <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npx connected-app <command> --help` for the options of a command.',
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exitCode = name ? 0 : 2;
} else if (!command) {
  console.error(`Unknown command "${name}".\n\n${usage()}`);
  process.exitCode = 2;
} else {
  process.exitCode = await (await command.load()).run(rest);
}
