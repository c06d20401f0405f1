/**
 * The test kit's one way to create people: a fresh person per test (or per file), created through the Stytch
 * API of the emulator or of your own project, so that tests never share consent or sessions:
 * `passwords.migrate` (Consumer `POST /v1/passwords/migrate`, B2B `POST /v1/b2b/passwords/migrate`,
 * https://stytch.com/docs/api/password-migrate) with an scrypt hash made here. Importing a hash rather than
 * setting the password lets the tests pick a cheap cost (the password is random and lives for one test): at the
 * emulator's own cost (OWASP's), hashing at creation and at each login took half of a test's CPU.
 */
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { ProjectType } from '../../src/shared/project.ts';
import type { Stack } from '../../src/stack.ts';

/** Where a project's backend API is and its credentials: a `RunningEmulator` is one, `projectOf(stack)` another. */
export interface ProjectAccess {
  url: string;
  projectId: string;
  secret: string;
  projectType: ProjectType;
}

export function projectOf(stack: Stack): ProjectAccess {
  return { url: stack.urls.stytch, projectId: stack.project.projectId, secret: stack.project.secret, projectType: stack.projectType };
}

export interface Person {
  /** `user-…` (Consumer) or `member-…` (B2B). */
  id: string;
  email: string;
  password: string;
  name: string;
  /** B2B: the organization's slug, as the login form asks for it, and its id. */
  organization?: string | undefined;
  organizationId?: string | undefined;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** Calls the Stytch backend API with the project's credentials; throws with Stytch's error body on failure. */
export async function stytchApi<T>(project: ProjectAccess, method: string, path: string, body?: unknown): Promise<T> {
  const auth = Buffer.from(`${project.projectId}:${project.secret}`).toString('base64');
  const res = await fetch(`${project.url}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export interface PersonOptions {
  /** B2B: the organization to create the member in (required there); ignored for Consumer. */
  organization?: { id: string; slug: string } | undefined;
  /** Default `example.com`. */
  emailDomain?: string | undefined;
}

export async function createPerson(project: ProjectAccess, options: PersonOptions = {}): Promise<Person> {
  const tag = randomUUID().slice(0, 8);
  const email = `person-${tag}@${options.emailDomain ?? 'example.com'}`;
  const password = `pw-${randomBytes(18).toString('base64url')}`;
  const name = `Test Person ${tag}`;
  const salt = randomBytes(16);
  const cost = { N: 16_384, r: 8, p: 1 };
  const hash = await scryptAsync(password, salt, 32, cost);
  const imported = {
    hash: hash.toString('base64'),
    hash_type: 'scrypt',
    scrypt_config: { salt: salt.toString('base64'), n_parameter: cost.N, r_parameter: cost.r, p_parameter: cost.p, key_length: 32 },
  };
  if (project.projectType === 'consumer') {
    const { user_id } = await stytchApi<{ user_id: string }>(project, 'POST', '/v1/passwords/migrate', {
      email,
      name: { first_name: 'Test', last_name: `Person ${tag}` },
      ...imported,
    });
    return { id: user_id, email, password, name };
  }
  const org = options.organization;
  if (!org) throw new Error('createPerson: a B2B project needs the organization to create the member in');
  const { member_id } = await stytchApi<{ member_id: string }>(project, 'POST', '/v1/b2b/passwords/migrate', {
    organization_id: org.id,
    email_address: email,
    name,
    ...imported,
  });
  return { id: member_id, email, password, name, organization: org.slug, organizationId: org.id };
}

/** Removes a person created for a test (from your own project: the emulator's data dies with it). */
export async function deletePerson(project: ProjectAccess, person: Person): Promise<void> {
  if (project.projectType === 'consumer') await stytchApi(project, 'DELETE', `/v1/users/${encodeURIComponent(person.id)}`);
  else await stytchApi(project, 'DELETE', `/v1/b2b/organizations/${encodeURIComponent(person.organizationId!)}/members/${encodeURIComponent(person.id)}`);
}
