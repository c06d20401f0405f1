/**
 * Builds the Stytch backend from configuration: the real SDK client, pointed at the configured base URL,
 * with a real request timeout, wrapped in the adapter for the project type.
 */
import { Agent } from 'undici';
import { B2BClient, Client } from 'stytch';
import { sdkBaseUrl } from '../../../src/shared/stytch-project.ts';
import { quietEmulatorClient } from '../../../src/shared/stytch-sdk.ts';
import type { StytchConfig } from '../config.ts';
import type { StytchBackend } from './backend.ts';
import { consumerBackend } from './consumer.ts';
import { b2bBackend } from './b2b.ts';
import { cacheSessionChecks } from './session-jwt-cache.ts';

export type { StytchBackend } from './backend.ts';

export function createStytchBackend(config: StytchConfig): StytchBackend {
  // The SDK's `timeout` option is never applied (it is spread into fetch init, which ignores it);
  // an undici dispatcher is what actually bounds a call to a Stytch that does not answer.
  const dispatcher = new Agent({
    connect: { timeout: config.timeoutMs },
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });
  const clientConfig: ConstructorParameters<typeof Client>[0] = {
    project_id: config.projectId,
    secret: config.secret,
    dispatcher,
    ...sdkBaseUrl(config.apiUrl),
  };
  const opts = { sessionDurationMinutes: config.sessionDurationMinutes, close: () => dispatcher.close() };
  const backend =
    config.projectType === 'b2b'
      ? b2bBackend(
          quietEmulatorClient(() => new B2BClient(clientConfig)),
          opts,
        )
      : consumerBackend(
          quietEmulatorClient(() => new Client(clientConfig)),
          opts,
        );
  // Each step of a flow checks the same session JWT: verified once, remembered while it would pass again.
  return cacheSessionChecks(backend);
}
