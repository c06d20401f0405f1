/**
 * A person to log in as, created through the emulator's Stytch API (`passwords.migrate`) with a cheap scrypt
 * hash made here: the emulator hashes seeded passwords at OWASP's cost (about a third of a second of CPU per
 * login), which a table of thirty logins cannot afford. The password is random and lives for one test file.
 */
import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

export interface Person {
  email: string;
  password: string;
  /** B2B: the organization's slug, as the login form asks for it. */
  organization?: string;
}

export interface EmulatorProject {
  url: string;
  projectId: string;
  secret: string;
  projectType: 'consumer' | 'b2b';
}

/** `organization`: the B2B organization to create the member in (id and slug); ignored for Consumer. */
export async function createPerson(project: EmulatorProject, organization?: { id: string; slug: string }): Promise<Person> {
  const tag = randomUUID().slice(0, 8);
  const email = `person-${tag}@example.com`;
  const password = `pw-${randomBytes(18).toString('base64url')}`;
  const salt = randomBytes(16);
  const cost = { N: 16_384, r: 8, p: 1 };
  const hash = await scryptAsync(password, salt, 32, cost);
  const imported = {
    hash: hash.toString('base64'),
    hash_type: 'scrypt',
    scrypt_config: { salt: salt.toString('base64'), n_parameter: cost.N, r_parameter: cost.r, p_parameter: cost.p, key_length: 32 },
  };
  const b2b = project.projectType === 'b2b';
  if (b2b && !organization) throw new Error('createPerson: a B2B project needs the organization to create the member in');
  const res = await fetch(`${project.url}${b2b ? '/v1/b2b/passwords/migrate' : '/v1/passwords/migrate'}`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${project.projectId}:${project.secret}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      b2b
        ? { organization_id: organization!.id, email_address: email, name: `Test Person ${tag}`, ...imported }
        : { email, name: { first_name: 'Test', last_name: `Person ${tag}` }, ...imported },
    ),
  });
  if (!res.ok) throw new Error(`passwords.migrate failed: ${res.status} ${await res.text()}`);
  return { email, password, ...(b2b ? { organization: organization!.slug } : {}) };
}
