import type { Logger } from '../../src/shared/log.ts';
import type { AuthServerConfig } from './config.ts';
import type { StytchBackend } from './stytch/backend.ts';
import type { ViewContext } from './views/layout.ts';

/** What the routes need, built once in createApp. */
export interface AppContext {
  config: AuthServerConfig;
  stytch: StytchBackend;
  view: ViewContext;
  log: Logger;
  /** The session cookie's name and flags, to clear it on logout. */
  cookie: { name: string; secure: boolean };
}
