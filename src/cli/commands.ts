/** Every `npx connected-app` command, one line each; a module is loaded only when its command runs. */
import type { Command } from './command.ts';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'Run the whole demo (emulator, auth-server, client-app); `npm start`', load: () => import('./start.ts') },
  verify: { summary: "Check a Connected App's configuration against a Stytch project (or the local emulator)", load: () => import('../verify/cli.ts') },
  bench: { summary: 'Complete OAuth flows per second against the stack and an oidc-provider peer; `npm run bench`', load: () => import('./bench.ts') },
  emulator: { summary: 'Run one local Stytch project (Consumer or B2B)', load: () => import('../emulator/cli.ts') },
  conformance: {
    summary: "Run the hostile-provider scenarios against a relying party's login, in Chromium (docs/faults.md)",
    load: () => import('../conformance/cli.ts'),
  },
};
