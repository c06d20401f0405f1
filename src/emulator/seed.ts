/**
 * The declarative seed file (`src/shared/demo/{consumer,b2b}.json` is the demo one): the project's settings,
 * its RBAC policy, Consumer users or B2B organizations with their members, and Connected App clients, all
 * with fixed ids. Applied at every start, idempotently:
 * - applying the same seed twice changes nothing (same ids, same hashes, same timestamps);
 * - the seed is the source of truth for what it names; anything else (users, clients, sessions created
 *   through the API) is left alone;
 * - a seeded password is re-hashed only when it changed (the stored scrypt hash is checked first);
 * - a seeded `password_hash` (the hash of `password`, in the form `passwords.migrate` takes) is stored as it is:
 *   nothing is hashed at start. One scrypt hash costs ~0.3 s of CPU and 32 to 128 MiB while it runs, and a
 *   seeded clear-text password costs one at the first start and one more (the check) at every later start; the
 *   demo seeds therefore carry the hash of their password. The pair is not checked at start (that would cost
 *   the hash it saves): the demo seeds' pairs are checked by the seed tests.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fillSeedPlaceholders, type SeedUrls } from '../shared/demo.ts';
import { PROJECT_ID_MESSAGE, PROJECT_ID_PATTERN } from '../shared/project.ts';
import { seedClientSchema, upsertSeedClient } from './clients/model.ts';
import type { EmulatorContext } from './context.ts';
import { GUESSES, type GuessName } from './guesses.ts';
import { collections, type PasswordHash } from './identity/model.ts';
import { upsertMember, upsertOrganization } from './identity/organizations.ts';
import { hashPassword, importHash, isOutdated, verifyPassword, type MigratedHashInput } from './identity/passwords.ts';
import { upsertUser } from './identity/users.ts';
import { email, metadata, phoneNumber, usersName } from './identity/validate.ts';
import { applyRbacSeed, rbacSeedSchema } from './rbac.ts';

/** Ids are fixed by the seed; Stytch's shape is `<kind>-test-<uuid>`, but any URL-safe id is accepted. */
const id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[A-Za-z0-9._~-]{1,120}$`), `must look like ${prefix}-test-<uuid> (URL-safe characters only)`);

const seedPassword = z.string().min(8, 'seed passwords have at least 8 characters').max(256);

/** A password's hash as `passwords.migrate` takes it (scrypt or pbkdf_2), validated by the same code, stored as it is. */
const seedPasswordHash = z
  .object({ hash_type: z.enum(['scrypt', 'pbkdf_2']), hash: z.string().min(1) })
  .loose()
  .transform((input, ctx) => {
    try {
      return importHash(input as MigratedHashInput);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });

const projectSchema = z
  .object({
    project_id: z.string().regex(PROJECT_ID_PATTERN, PROJECT_ID_MESSAGE),
    /** No `%`, `+`, `:` or whitespace: Basic auth encoding would mangle them. */
    secret: z
      .string()
      .min(16)
      .regex(/^[^%+:\s]+$/, 'no %, +, : or whitespace'),
    project_type: z.enum(['consumer', 'b2b']),
    /** The project's Authorization URL (Dashboard > Connected Apps), where /v1/oauth2/authorize sends people. */
    authorization_url: z.union([z.url(), z.null()]).optional(),
    dynamic_client_registration: z.boolean().optional(),
    /** `default`: Stytch's default domain (authorization responses say iss=stytch.com/{project_id}); `custom`: one issuer. */
    domain: z.enum(['custom', 'default']).optional(),
    /** The emulator's guesses (guesses.ts), each on or off; unset keeps its default. */
    ...(Object.fromEntries(Object.keys(GUESSES).map((k) => [k, z.boolean().optional()])) as Record<GuessName, z.ZodOptional<z.ZodBoolean>>),
    /** Accept Client ID Metadata Documents (an https URL as client_id); off unless set. */
    client_id_metadata_documents: z.boolean().optional(),
  })
  .strict();

const userSchema = z
  .object({
    user_id: id('user'),
    email,
    /** Seeded people have verified contact details unless the seed says otherwise. */
    email_verified: z.boolean().default(true),
    password: seedPassword.optional(),
    password_hash: seedPasswordHash.optional(),
    name: usersName.strict().optional(),
    phone_number: phoneNumber.optional(),
    phone_number_verified: z.boolean().default(true),
    roles: z.array(z.string().min(1)).optional(),
    external_id: z.string().optional(),
    trusted_metadata: metadata.optional(),
    untrusted_metadata: metadata.optional(),
  })
  .strict();

const memberSchema = z
  .object({
    member_id: id('member'),
    email_address: email,
    email_address_verified: z.boolean().default(true),
    password: seedPassword.optional(),
    password_hash: seedPasswordHash.optional(),
    name: z.string().max(256).optional(),
    roles: z.array(z.string().min(1)).optional(),
    mfa_phone_number: phoneNumber.optional(),
    mfa_phone_number_verified: z.boolean().default(true),
    is_breakglass: z.boolean().optional(),
    external_id: z.string().optional(),
    trusted_metadata: metadata.optional(),
    untrusted_metadata: metadata.optional(),
  })
  .strict();

const connectedAppsAllowedType = z.enum(['ALL_ALLOWED', 'RESTRICTED', 'NOT_ALLOWED']);

const organizationSchema = z
  .object({
    organization_id: id('organization'),
    organization_name: z.string().min(1).max(128),
    organization_slug: z.string().regex(/^[a-z0-9\-._~]{2,128}$/, '2 to 128 lowercase letters, digits or -._~'),
    organization_logo_url: z.union([z.url(), z.literal('')]).optional(),
    email_allowed_domains: z.array(z.string()).optional(),
    first_party_connected_apps_allowed_type: connectedAppsAllowedType.optional(),
    allowed_first_party_connected_apps: z.array(z.string()).optional(),
    third_party_connected_apps_allowed_type: connectedAppsAllowedType.optional(),
    allowed_third_party_connected_apps: z.array(z.string()).optional(),
    trusted_metadata: metadata.optional(),
    members: z.array(memberSchema).default([]),
  })
  .strict();

export const seedSchema = z
  .object({
    $comment: z.string().optional(),
    project: projectSchema,
    rbac: rbacSeedSchema.optional(),
    users: z.array(userSchema).default([]),
    organizations: z.array(organizationSchema).default([]),
    clients: z.array(seedClientSchema).default([]),
  })
  .strict()
  .superRefine((seed, ctx) => {
    if (seed.project.project_type === 'consumer' && seed.organizations.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['organizations'], message: 'a consumer project has users, not organizations' });
    }
    if (seed.project.project_type === 'b2b' && seed.users.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['users'], message: 'a b2b project has organizations with members, not users' });
    }
    /** Reports the second and later occurrences of a value, at their own path. */
    const duplicates = (label: string, entries: Array<[path: PropertyKey[], value: string]>) => {
      const seen = new Set<string>();
      for (const [path, value] of entries) {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path, message: `duplicate ${label}: ${value}` });
        seen.add(value);
      }
    };
    duplicates(
      'user_id',
      seed.users.map((u, i) => [['users', i, 'user_id'], u.user_id]),
    );
    duplicates(
      'email',
      seed.users.map((u, i) => [['users', i, 'email'], u.email.toLowerCase()]),
    );
    duplicates(
      'organization_id',
      seed.organizations.map((o, i) => [['organizations', i, 'organization_id'], o.organization_id]),
    );
    duplicates(
      'organization_slug',
      seed.organizations.map((o, i) => [['organizations', i, 'organization_slug'], o.organization_slug]),
    );
    duplicates(
      'member_id',
      seed.organizations.flatMap((o, i) => o.members.map((m, j): [PropertyKey[], string] => [['organizations', i, 'members', j, 'member_id'], m.member_id])),
    );
    duplicates(
      'client_id',
      seed.clients.map((c, i) => [['clients', i, 'client_id'], c.client_id]),
    );
  });

export type SeedDocument = z.output<typeof seedSchema>;

export class SeedError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid seed file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SeedError';
  }
}

/** `users[0].email`, `organizations[0].members[1].password`, … */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(root)';
}

/** Parses a seed document; `source` names it in errors (a file path). */
export function parseSeed(document: unknown, source: string): SeedDocument {
  const result = seedSchema.safeParse(document);
  if (!result.success)
    throw new SeedError(
      source,
      result.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`),
    );
  return result.data;
}

/** Reads a seed file, fills `${AUTH_SERVER_URL}` / `${CLIENT_APP_URL}`, and validates it. */
export function loadSeedFile(path: string, seedUrls: SeedUrls): SeedDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedError(path, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(fillSeedPlaceholders(text, seedUrls));
  } catch (err) {
    throw new SeedError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseSeed(document, path);
}

/**
 * The seed's own hash when it has one; else the stored hash if it still matches the seed's password and is not
 * outdated (passwords.ts), else a fresh one; undefined when the seed sets no password.
 */
async function seededHash(
  stored: PasswordHash | undefined,
  seeded: { password?: string | undefined; password_hash?: PasswordHash | undefined },
): Promise<PasswordHash | undefined> {
  if (seeded.password_hash) return seeded.password_hash;
  const { password } = seeded;
  if (password === undefined) return undefined;
  if (stored && !isOutdated(stored) && (await verifyPassword(password, stored))) return stored;
  return hashPassword(password);
}

/** Runs one step of applying a seed; a conflict with stored data (e.g. an email taken through the API) names the entry. */
function at<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw new Error(`Cannot apply the seed's ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Applies a seed to the project's store. Idempotent; see the module comment. */
export async function applySeed(ctx: EmulatorContext, seed: SeedDocument): Promise<void> {
  if (seed.project.project_id !== ctx.projectId || seed.project.project_type !== ctx.projectType) {
    throw new Error(`The seed is for ${seed.project.project_type} project ${seed.project.project_id}, not ${ctx.projectType} project ${ctx.projectId}.`);
  }
  const store = collections(ctx);
  // Hashing is slow and async: do it first, then write everything in one transaction.
  const userHashes = await Promise.all(seed.users.map((u) => seededHash(store.users.get(u.user_id)?.password, u)));
  const members = seed.organizations.flatMap((o, i) =>
    o.members.map((m, j) => ({ organization_id: o.organization_id, member: m, path: `organizations[${i}].members[${j}]` })),
  );
  const memberHashes = await Promise.all(members.map(({ member: m }) => seededHash(store.members.get(m.member_id)?.password, m)));

  ctx.store.transaction(() => {
    const { project } = seed;
    ctx.updateSettings({
      ...(project.authorization_url !== undefined ? { authorization_url: project.authorization_url } : {}),
      ...(project.dynamic_client_registration !== undefined ? { dynamic_client_registration: project.dynamic_client_registration } : {}),
      ...(project.domain !== undefined ? { domain: project.domain } : {}),
      ...Object.fromEntries((Object.keys(GUESSES) as GuessName[]).filter((k) => project[k] !== undefined).map((k) => [k, project[k]])),
      ...(project.client_id_metadata_documents !== undefined ? { client_id_metadata_documents: project.client_id_metadata_documents } : {}),
    });
    if (seed.rbac) applyRbacSeed(ctx, seed.rbac);

    seed.users.forEach((u, i) => {
      const { password: _clear, password_hash: _hash, phone_number_verified, ...fields } = u;
      const hash = userHashes[i];
      at(`users[${i}]`, () => upsertUser(ctx, { ...fields, phone_number_verified, ...(hash ? { password: hash } : {}) }));
    });

    seed.organizations.forEach(({ members: _members, organization_id, organization_name, organization_slug, ...settings }, i) => {
      at(`organizations[${i}]`, () => upsertOrganization(ctx, { organization_id, organization_name, organization_slug, settings }));
    });
    members.forEach(({ organization_id, member: m, path }, i) => {
      const { password: _clear, password_hash: _hash, ...fields } = m;
      const hash = memberHashes[i];
      at(path, () => upsertMember(ctx, organization_id, { ...fields, ...(hash ? { password: hash } : {}) }));
    });

    seed.clients.forEach((client, i) => {
      at(`clients[${i}]`, () => upsertSeedClient(ctx, client));
    });
  });
}
