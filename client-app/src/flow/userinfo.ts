/**
 * UserInfo (RP-6): always with the ID token's `sub` as the expected subject, so that profile data about another
 * person is rejected (OIDC Core §5.3.2).
 */
import * as oidc from 'openid-client';
import { serverMetadataOf } from '../oidc/issuers.ts';

export async function fetchUserInfo(config: oidc.Configuration, accessToken: string, sub: string): Promise<Record<string, unknown> | undefined> {
  if (!serverMetadataOf(config).userinfo_endpoint) return undefined;
  return (await oidc.fetchUserInfo(config, accessToken, sub)) as Record<string, unknown>;
}
