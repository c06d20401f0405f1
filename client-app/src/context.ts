/** What the route handlers share: the profiles, the issuer registry, the timelines and the logger. */
import type { Logger } from '../../src/shared/log.ts';
import { RpError } from './errors.ts';
import type { TimelineStore } from './inspector/timeline-store.ts';
import type { IssuerRegistry } from './oidc/issuers.ts';
import type { ClientProfile } from './profiles.ts';
import type { SessionLock } from './web/session-lock.ts';

export interface AppContext {
  profiles: ReadonlyMap<string, ClientProfile>;
  issuers: IssuerRegistry;
  log: Logger;
  /** Base URL of this app, without a trailing slash. */
  publicUrl: string;
  /** Runs a token-changing action alone for its session, across instances with Redis (web/session-lock.ts). */
  withSessionLock: SessionLock;
  /** The flow inspector's timelines, kept beside the sessions. */
  timelines: TimelineStore;
}

export function profileOf(ctx: AppContext, id: unknown): ClientProfile {
  const profile = typeof id === 'string' ? ctx.profiles.get(id) : undefined;
  if (!profile) throw new RpError('ERR_UNKNOWN_PROFILE', `no client profile "${String(id)}"`, { facts: { 'profile asked for': String(id ?? '(none)') } });
  return profile;
}
