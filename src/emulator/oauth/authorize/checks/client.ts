import { looksLikeMetadataDocumentUrl, resolveMetadataDocumentClient } from '../../../clients/metadata-document.ts';
import { findClient, type ClientRecord } from '../../../clients/model.ts';
import type { EmulatorContext } from '../../../context.ts';
import { idpErrors } from '../errors.ts';

/**
 * RFC 6749 §4.1.2.1: an unknown client is an API error, never a redirect. With Client ID Metadata Documents
 * on, an http(s) client_id is resolved from its document (fetched, validated, cached); a document that cannot
 * be used is `invalid_client_id`, with the reason.
 */
export async function checkClient(ctx: EmulatorContext, clientId: string): Promise<ClientRecord> {
  if (ctx.settings().client_id_metadata_documents && looksLikeMetadataDocumentUrl(clientId)) {
    const resolved = await resolveMetadataDocumentClient(ctx, clientId);
    if ('problem' in resolved) throw idpErrors.invalidClientMetadataDocument(clientId, resolved.problem);
    return resolved.client;
  }
  const client = findClient(ctx, clientId);
  if (!client) throw idpErrors.clientNotFound();
  return client;
}
