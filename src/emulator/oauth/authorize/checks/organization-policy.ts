import { isFirstParty, type ClientRecord } from '../../../clients/model.ts';
import type { Identity } from '../../../identity/model.ts';
import { idpErrors } from '../errors.ts';

/**
 * B2B (cat. AS-9): the member's organization decides which Connected Apps its members may
 * authorize: `*_connected_apps_allowed_type` is ALL_ALLOWED (default), RESTRICTED (only the listed client
 * ids) or NOT_ALLOWED, separately for first- and third-party clients.
 */
export function checkOrganizationPolicy(client: ClientRecord, identity: Identity): void {
  if (identity.kind !== 'member') return;
  const org = identity.organization;
  const firstParty = isFirstParty(client);
  const type = (firstParty ? org.first_party_connected_apps_allowed_type : org.third_party_connected_apps_allowed_type) || 'ALL_ALLOWED';
  const allowed = (firstParty ? org.allowed_first_party_connected_apps : org.allowed_third_party_connected_apps) ?? [];
  const party = firstParty ? 'first party' : 'third party';
  if (type === 'NOT_ALLOWED') {
    throw idpErrors.clientNotAllowedByOrganization(`Organization ${org.organization_id} does not allow ${party} Connected Apps.`);
  }
  if (type === 'RESTRICTED' && !allowed.includes(client.client_id)) {
    throw idpErrors.clientNotAllowedByOrganization(
      `Organization ${org.organization_id} only allows listed ${party} Connected Apps, and this client is not listed.`,
    );
  }
}
