import type { ClientRecord } from '../../../clients/model.ts';
import type { EmulatorContext } from '../../../context.ts';
import type { Identity } from '../../../identity/model.ts';
import { findConsent, isConsentRequired } from '../../consent.ts';
import { subjectId } from '../../grants.ts';
import { subjectOf } from '../../subject.ts';

/** Whether the person must be asked (Stytch's rules in oauth/consent.ts), given what they consented to before. */
export function checkConsent(ctx: EmulatorContext, client: ClientRecord, identity: Identity, grantable: string[], prompt: string | undefined): boolean {
  const prior = findConsent(ctx, client.client_id, subjectId(subjectOf(identity)));
  return isConsentRequired({ client, scopes: grantable, prompt: (prompt ?? '').split(' ').filter(Boolean), prior });
}
