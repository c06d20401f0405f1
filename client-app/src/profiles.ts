/**
 * Client profiles: the Connected Apps this relying party can log in as.
 *
 * A profile is one OAuth client at one issuer. It comes from a JSON file (`CLIENT_APP_PROFILES`), from the
 * single-profile `OIDC_*` variables, from the demo seed (no variables at all), or from code (the test harness).
 * Every source goes through `resolveProfiles`, so the same rules hold whichever one is used.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isLoopbackUrl } from '../../src/shared/config.ts';
import { DEFAULT_PORTS, DEFAULT_SEED_URLS, loadDemoSeed, type DemoSeed } from '../../src/shared/demo.ts';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type TokenEndpointAuthMethod = (typeof AUTH_METHODS)[number];

/** A validated profile, as the app uses it. */
export interface ClientProfile {
  /** URL-safe identifier, used in `/login?profile=`. */
  id: string;
  /** Name shown to people, e.g. "Insight Analytics". */
  label: string;
  description?: string | undefined;
  /** Issuer identifier: discovery is `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Present for confidential clients; absent for public ones. */
  clientSecret?: string | undefined;
  /** How the client authenticates at the token and revocation endpoints; always explicit. */
  authMethod: TokenEndpointAuthMethod;
  scopes: string[];
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** What a profile file, or code, may say. Snake case, as in OAuth client metadata. */
export interface ProfileInput {
  id: string;
  label?: string;
  description?: string;
  issuer: string;
  client_id: string;
  client_secret?: string;
  /** Name of an environment variable holding the secret, so that a profile file need not contain it. */
  client_secret_env?: string;
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  /** Space-separated. Default: `openid email profile offline_access`. */
  scope?: string;
  /** Default: the app's public URL + `/callback`. */
  redirect_uri?: string;
  /** Default: the app's public URL + `/`. */
  post_logout_redirect_uri?: string;
}

export const DEFAULT_SCOPE = 'openid email profile offline_access';

const httpUrl = (example: string) => z.url({ message: `must be an absolute http(s) URL, e.g. ${example}`, protocol: /^https?$/ });

const profileInputSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes, e.g. "insight"'),
    label: z.string().min(1).max(100).optional(),
    description: z.string().max(500).optional(),
    issuer: httpUrl('https://login.example.com'),
    client_id: z.string().min(1, 'must not be empty'),
    client_secret: z.string().min(1).optional(),
    client_secret_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    token_endpoint_auth_method: z.enum(AUTH_METHODS, { message: `must be one of ${AUTH_METHODS.join(', ')}` }).optional(),
    scope: z.string().optional(),
    redirect_uri: httpUrl('http://localhost:3001/callback').optional(),
    post_logout_redirect_uri: httpUrl('http://localhost:3001/').optional(),
  })
  .strict();

const profileFileSchema = z.union([
  z.object({ profiles: z.array(profileInputSchema).min(1, 'must list at least one profile') }).strict(),
  z.array(profileInputSchema).min(1, 'must list at least one profile'),
]);

/** A profile problem, phrased for the person fixing the configuration. */
export class ProfileProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Validates profile inputs and fills in defaults. `publicUrl` is the app's own base URL (no trailing slash);
 * `env` is where `client_secret_env` is looked up. Throws `ProfileProblems` naming every problem.
 */
export function resolveProfiles(inputs: readonly ProfileInput[], publicUrl: string, env: Record<string, string | undefined> = process.env): ClientProfile[] {
  const problems: string[] = [];
  const profiles: ClientProfile[] = [];
  const seen = new Set<string>();
  inputs.forEach((raw, index) => {
    const where = `profile ${index + 1}${typeof raw?.id === 'string' ? ` ("${raw.id}")` : ''}`;
    const parsed = profileInputSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || 'profile'} ${issue.message}`);
      return;
    }
    const p = parsed.data;
    if (seen.has(p.id)) problems.push(`${where}: id "${p.id}" is used twice`);
    seen.add(p.id);

    let secret = p.client_secret;
    if (p.client_secret_env) {
      if (secret) problems.push(`${where}: set client_secret or client_secret_env, not both`);
      secret = env[p.client_secret_env]?.trim() || undefined;
      if (!secret) problems.push(`${where}: client_secret_env names ${p.client_secret_env}, which is not set`);
    }
    // Public clients are exactly the ones without a secret; the method is never guessed from the provider.
    const authMethod = p.token_endpoint_auth_method ?? (secret ? 'client_secret_basic' : 'none');
    if (authMethod === 'none' && secret) {
      problems.push(`${where}: token_endpoint_auth_method is "none" (public client) but a client secret is set; remove the secret or pick client_secret_basic`);
    }
    if (authMethod !== 'none' && !secret) {
      problems.push(
        `${where}: token_endpoint_auth_method is "${authMethod}" but no client secret is set; add client_secret (or client_secret_env), or use "none" for a public client`,
      );
    }

    if (new URL(p.issuer).protocol === 'http:' && !isLoopbackUrl(p.issuer)) {
      problems.push(`${where}: issuer ${p.issuer} uses plain http; only https issuers are allowed, except on localhost / 127.0.0.1 for local development`);
    }

    const scopes = (p.scope ?? DEFAULT_SCOPE).split(/\s+/).filter(Boolean);
    if (!scopes.includes('openid')) problems.push(`${where}: scope must include "openid" (this app signs people in with OpenID Connect)`);

    const redirectUri = p.redirect_uri ?? `${publicUrl}/callback`;
    if (!new URL(redirectUri).pathname.endsWith('/callback')) {
      problems.push(`${where}: redirect_uri must end with /callback, the path this app serves the callback on (got ${redirectUri})`);
    }
    profiles.push({
      id: p.id,
      label: p.label ?? p.id,
      description: p.description,
      issuer: p.issuer,
      clientId: p.client_id,
      clientSecret: secret,
      authMethod,
      scopes,
      redirectUri,
      postLogoutRedirectUri: p.post_logout_redirect_uri ?? `${publicUrl}/`,
    });
  });
  if (problems.length) throw new ProfileProblems(problems);
  return profiles;
}

/** Reads and validates a profile file: `{"profiles": [...]}` or a bare array. */
export function readProfileFile(path: string): ProfileInput[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ProfileProblems([`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ProfileProblems([`${path} is not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = profileFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProfileProblems(parsed.error.issues.map((i) => `${path}: ${i.path.join('.') || '(file)'} ${i.message}`));
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.profiles;
}

/** The local emulator's Consumer project, where the demo profiles log in by default. */
export const DEMO_ISSUER = `http://localhost:${DEFAULT_PORTS.emulator.consumer}`;

type DemoClient = DemoSeed['clients'][number] & { bypass_consent_for_offline_access?: boolean };

/**
 * The demo seed's four clients as profiles (`src/shared/demo/*.json`), so that ids and secrets are written down
 * once, one of each kind, each with a different consent behaviour: Insight Analytics (third-party,
 * confidential) asks for `offline_access`, so it asks for consent every time; the first-party apps ask for
 * `offline_access` only when the seed lets them bypass consent for it, so they never show the consent page;
 * Pocket Notes (third-party, public) asks once per scope set. `issuer` is the emulator's base URL.
 */
export function demoProfiles({
  seed,
  issuer = DEMO_ISSUER,
  clientAppUrl,
  authServerUrl = DEFAULT_SEED_URLS.authServerUrl,
}: {
  seed?: DemoSeed;
  issuer?: string;
  clientAppUrl: string;
  authServerUrl?: string;
}): ProfileInput[] {
  const clients = (seed ?? loadDemoSeed('consumer', { clientAppUrl, authServerUrl })).clients as DemoClient[];
  const order: Array<DemoClient['client_type']> = ['third_party', 'first_party_public', 'first_party', 'third_party_public'];
  const base = DEFAULT_SCOPE.split(' ').filter((s) => s !== 'offline_access');
  return order.flatMap((type) =>
    clients
      .filter((c) => c.client_type === type)
      .map((c) => {
        const offline = type === 'third_party' || (type.startsWith('first_party') && c.bypass_consent_for_offline_access === true);
        return {
          id: slug(c.client_name),
          label: c.client_name,
          description: `${c.client_secret ? 'Confidential' : 'Public'} ${type.startsWith('third') ? 'third-party' : 'first-party'} client${c.client_secret ? ' (client_secret_basic + PKCE)' : ' (PKCE only, no secret)'}.`,
          issuer,
          client_id: c.client_id,
          ...(c.client_secret
            ? { client_secret: c.client_secret, token_endpoint_auth_method: 'client_secret_basic' as const }
            : { token_endpoint_auth_method: 'none' as const }),
          scope: [...base, ...(offline ? ['offline_access'] : [])].join(' '),
          redirect_uri: c.redirect_urls[0] ?? `${clientAppUrl}/callback`,
        };
      }),
  );
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
