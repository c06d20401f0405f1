/**
 * The client-app's public surface, the only module other parts import: `createApp(config)` builds the Connected
 * App (a relying party on openid-client); `loadClientAppConfig(env)` reads its configuration as `main.ts` does;
 * the profiles are the Connected Apps it can log in as.
 */
export { createApp, type ClientApp, type CreateAppOptions } from './app.ts';
export { loadClientAppConfig, profilesFor, type ClientAppConfig } from './config.ts';
export { DEFAULT_SCOPE, demoProfiles, resolveProfiles, type ClientProfile, type ProfileInput } from './profiles.ts';
