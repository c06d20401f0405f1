/**
 * The demo data every part agrees on: the seed files of the local emulator (one per project type),
 * with the apps' base URLs filled in. The client-app's demo profiles and the launcher read them from here,
 * so ids, secrets and redirect URLs are written down once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProjectType } from './project.ts';

export const DEFAULT_PORTS = { authServer: 3000, clientApp: 3001, mcpServer: 3002, emulator: { consumer: 9010, b2b: 9011 } } as const;

export interface SeedUrls {
  authServerUrl: string;
  clientAppUrl: string;
}

export const DEFAULT_SEED_URLS: SeedUrls = {
  authServerUrl: `http://localhost:${DEFAULT_PORTS.authServer}`,
  clientAppUrl: `http://localhost:${DEFAULT_PORTS.clientApp}`,
};

export function demoSeedPath(type: ProjectType): string {
  return fileURLToPath(new URL(`./demo/${type}.json`, import.meta.url));
}

/** Replaces `${AUTH_SERVER_URL}` and `${CLIENT_APP_URL}` in every string of a seed document. */
export function fillSeedPlaceholders(text: string, urls: SeedUrls): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the seed files' placeholders, literally
  return text.replaceAll('${AUTH_SERVER_URL}', urls.authServerUrl).replaceAll('${CLIENT_APP_URL}', urls.clientAppUrl);
}

/** Minimal typed view of the seed fields the apps and tests use; the emulator validates the full schema. */
export interface DemoSeed {
  project: { project_id: string; secret: string; project_type: ProjectType; authorization_url: string };
  users?: Array<{ user_id: string; email: string; password: string; name?: { first_name?: string; last_name?: string } }>;
  organizations?: Array<{
    organization_id: string;
    organization_name: string;
    organization_slug: string;
    members: Array<{ member_id: string; email_address: string; password: string; name?: string }>;
  }>;
  clients: Array<{
    client_id: string;
    client_secret?: string;
    client_type: 'first_party' | 'first_party_public' | 'third_party' | 'third_party_public';
    client_name: string;
    redirect_urls: string[];
  }>;
}

export function loadDemoSeed(type: ProjectType, urls: SeedUrls = DEFAULT_SEED_URLS): DemoSeed {
  return JSON.parse(fillSeedPlaceholders(readFileSync(demoSeedPath(type), 'utf8'), urls)) as DemoSeed;
}

/** The demo person of a project: the Consumer user, or the B2B member with their organization. */
export function demoLogin(seed: DemoSeed): { email: string; password: string; organizationSlug?: string; organizationId?: string } {
  const user = seed.users?.[0];
  if (user) return { email: user.email, password: user.password };
  const org = seed.organizations?.[0];
  const member = org?.members[0];
  if (!org || !member) throw new Error('demo seed has neither a user nor an organization member');
  return { email: member.email_address, password: member.password, organizationSlug: org.organization_slug, organizationId: org.organization_id };
}
