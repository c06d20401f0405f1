/** Every `npx connected-app` command, one line each; a module is loaded only when its command runs. */
export interface Command {
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  verify: { summary: 'Check a Connected App\'s configuration against a Stytch project (or the local emulator)', load: () => import('../verify/cli.ts') },
  emulator: { summary: 'Run one local Stytch project (Consumer or B2B)', load: () => import('../emulator/cli.ts') },
};
