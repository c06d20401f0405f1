/**
 * People for the e2e specs, through the test kit (`test/support/people.ts`): one fresh person per test, in the
 * demo organization (B2B), or in E2E_STYTCH_ORGANIZATION_ID and with E2E_EMAIL_DOMAIN against your own project.
 */
import type { Stack } from '../src/stack.ts';
import * as kit from '../test/support/people.ts';

export type Person = kit.Person;

/** Calls the Stytch backend API of the stack's project. */
export function stytchApi<T>(stack: Stack, method: string, path: string, body?: unknown): Promise<T> {
  return kit.stytchApi<T>(kit.projectOf(stack), method, path, body);
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
  const organization = stack.projectType === 'b2b' ? await organizationOf(stack) : undefined;
  return kit.createPerson(kit.projectOf(stack), { organization, emailDomain: process.env.E2E_EMAIL_DOMAIN });
}

/** Removes a person created for a test from your own project (the emulator's data dies with the worker). */
export async function deletePerson(stack: Stack, person: Person): Promise<void> {
  if (!stack.emulator) await kit.deletePerson(kit.projectOf(stack), person);
}
