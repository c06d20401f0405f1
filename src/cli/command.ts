/** What each `npx connected-app` command module exports: a leaf, so that commands.ts and the commands do not import each other. */
export interface Command {
  run(argv: string[]): Promise<number>;
}
