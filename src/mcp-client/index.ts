/** The command-line MCP client's public surface: the provider, the loopback callback, the session loop. */
export { AuthorizationError, startLoopbackCallback, type LoopbackCallback } from './loopback.ts';
export { CliOAuthClientProvider, type CliClientOptions } from './provider.ts';
export { connectMcp, type McpSession } from './session.ts';
export { fileStore, memoryStore, type ClientStore, type Kept } from './store.ts';
