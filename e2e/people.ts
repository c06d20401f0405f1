/**
 * A fresh person for each test, created through the Stytch API (the emulator's or your project's), so that
 * tests never share consent or sessions: `passwords.migrate` (Consumer `POST /v1/passwords/migrate`, B2B
 * `POST /v1/b2b/passwords/migrate`) with an scrypt hash made here. Importing a hash rather than setting the
 * password lets the harness pick a cheap cost (the password is random and lives for one test): with the
 * emulator's own cost, hashing at creation and at each login took half of a Consumer test's CPU.
 */
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Stack } from '../src/stack.ts';
import type { Credentials } from './pages/login-page.ts';

export interface Person extends Credentials {
  /** `user-…` (Consumer) or `member-…` (B2B). */
  id: string;
  organizationId?: string | undefined;
  name: string;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** Calls the Stytch backend API with the project's credentials; throws with Stytch's error body on failure. */
export async function stytchApi<T>(stack: Stack, method: string, path: string, body?: unknown): Promise<T> {
  const auth = Buffer.from(`${stack.project.projectId}:${stack.project.secret}`).toString('base64');
  const res = await fetch(`${stack.urls.stytch}${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** The B2B organization people are created in: the demo organization, or E2E_STYTCH_ORGANIZATION_ID. */
export async function organizationOf(stack: Stack): Promise<{ id: string; slug: string }> {
  if (stack.demo?.organizationId && stack.demo.organization) return { id: stack.demo.organizationId, slug: stack.demo.organization };
  const id = process.env.E2E_STYTCH_ORGANIZATION_ID;
  if (!id) throw new Error('E2E_STYTCH_ORGANIZATION_ID: required to run the B2B specs against your own project');
  const { organization } = await stytchApi<{ organization: { organization_slug: string } }>(stack, 'GET', `/v1/b2b/organizations/${encodeURIComponent(id)}`);
  return { id, slug: organization.organization_slug };
}

export async function createPerson(stack: Stack): Promise<Person> {
  const tag = randomUUID().slice(0, 8);
  const password = `e2e-${randomBytes(18).toString('base64url')}`;
  const domain = process.env.E2E_EMAIL_DOMAIN ?? 'example.com';
  const email = `e2e-${tag}@${domain}`;
  const name = `Test Person ${tag}`;
  const salt = randomBytes(16);
  const params = { N: 16_384, r: 8, p: 1 };
  const hash = await scryptAsync(password, salt, 32, params);
  const imported = {
    hash: hash.toString('base64'),
    hash_type: 'scrypt',
    scrypt_config: { salt: salt.toString('base64'), n_parameter: params.N, r_parameter: params.r, p_parameter: params.p, key_length: 32 },
  };
  if (stack.projectType === 'consumer') {
    const { user_id } = await stytchApi<{ user_id: string }>(stack, 'POST', '/v1/passwords/migrate', {
      email,
      name: { first_name: 'Test', last_name: `Person ${tag}` },
      ...imported,
    });
    return { id: user_id, email, password, name };
  }
  const org = await organizationOf(stack);
  const { member_id } = await stytchApi<{ member_id: string }>(stack, 'POST', '/v1/b2b/passwords/migrate', {
    organization_id: org.id,
    email_address: email,
    name,
    ...imported,
  });
  return { id: member_id, email, password, name, organization: org.slug, organizationId: org.id };
}

/** Removes a person created for a test from your own project (the emulator's data dies with the worker). */
export async function deletePerson(stack: Stack, person: Person): Promise<void> {
  if (stack.emulator) return;
  if (stack.projectType === 'consumer') await stytchApi(stack, 'DELETE', `/v1/users/${encodeURIComponent(person.id)}`);
  else await stytchApi(stack, 'DELETE', `/v1/b2b/organizations/${encodeURIComponent(person.organizationId!)}/members/${encodeURIComponent(person.id)}`);
}
