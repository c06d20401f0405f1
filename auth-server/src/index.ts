/**
 * The auth-server's public surface, the only module other parts import: `createApp(config)` builds the
 * Authorization URL app (login, consent, redirect with a code); `loadConfig(env)` reads its configuration as
 * `main.ts` does.
 */
export { createApp, SESSION_COOKIE, type AuthServerApp, type CreateAppOptions } from './app.ts';
export { loadConfig, type AuthServerConfig } from './config.ts';
