/**
 * What every route module of the emulator gets: the project it serves, its durable store, its keys,
 * a clock, and its issuer (the base URL it listens on, known once it listens).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../shared/log.ts';
import type { ProjectType } from '../shared/project.ts';
import type { ClientMetadataDocumentOptions } from './clients/metadata-document.ts';
import type { GuessSettings } from './guesses.ts';
import type { Keyring } from './keys.ts';
import type { Store } from './store.ts';

export type { ProjectType };

/**
 * Project settings, persisted (collection `project`, id `settings`) and editable through the seed. The
 * guesses (guesses.ts) are settings too, so that each can be flipped.
 */
export interface ProjectSettings extends GuessSettings {
  project_id: string;
  project_type: ProjectType;
  /** The Authorization URL of the project's own app (Dashboard > Connected Apps); advertised in discovery. */
  authorization_url: string | null;
  dynamic_client_registration: boolean;
  /**
   * `custom`: one issuer everywhere. `default`: Stytch's default project domain, where the authorization
   * response's `iss` is `stytch.com/{project_id}` while tokens and discovery use the project domain (Stytch's
   * Connected Apps FAQ). RFC 9207 clients refuse that mix; a custom domain is the fix.
   */
  domain: DomainMode;
  /** Accept Client ID Metadata Documents (an https URL as client_id); advertised in discovery. */
  client_id_metadata_documents: boolean;
}

export type DomainMode = 'custom' | 'default';

/** A fixed-window limit: at most `max` events per key per `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export interface EmulatorContext {
  readonly projectId: string;
  readonly projectType: ProjectType;
  /** `test` or `live`, from the project id, used in generated ids: `user-test-…`. */
  readonly idEnvironment: 'test' | 'live';
  readonly store: Store;
  readonly keys: Keyring;
  readonly log: Logger;
  /** Epoch seconds. */
  now(): number;
  /** Base URL without a trailing slash; the `iss` of every token, discovery and authorization response. */
  issuer: string;
  settings(): ProjectSettings;
  updateSettings(change: Partial<Omit<ProjectSettings, 'project_id' | 'project_type'>>): ProjectSettings;
  /** Failed password logins allowed per account before 429 `too_many_requests` (AS-15). */
  readonly passwordLoginLimit: RateLimit;
  /** Failed token requests allowed per client and IP before 429 `too_many_requests` (AS-15). */
  readonly tokenEndpointLimit: RateLimit;
  /** Connected Apps a project may hold before creating one more is refused with `too_many_connected_apps`. */
  readonly connectedAppLimit: number;
  /** How metadata documents are fetched (clients/metadata-document.ts). */
  readonly clientMetadataDocuments: ClientMetadataDocumentOptions;
  /** Checks the project secret in constant time (Basic auth of the backend API). */
  checkSecret(secret: string): boolean;
}

/** Stytch-style identifier: `user-test-<uuid>`, `connected-app-test-<uuid>`, … */
export function newId(ctx: Pick<EmulatorContext, 'idEnvironment'>, prefix: string): string {
  return `${prefix}-${ctx.idEnvironment}-${randomUUID()}`;
}
