/** The mcp-server's public surface: the factory, its configuration, and what it publishes. */
export { createApp, SERVER_NAME, UNAUTHORIZED_LIMIT, type CreateAppOptions, type McpServerApp } from './app.ts';
export { loadConfig, MCP_PATH, type McpServerConfig, type TokenValidation } from './config.ts';
export { INITIAL_SCOPES, SCOPES_SUPPORTED, TOOL_SCOPES } from './tools.ts';
