/**
 * Password hashing and checking. Passwords set through the API or the seed are hashed with scrypt
 * (node:crypto, async, N=2^15, r=8, p=3, 16-byte salt, 32-byte key); the clear text is never stored.
 * OWASP's Password Storage Cheat Sheet lists N=2^17 r=8 p=1 (128 MiB) and N=2^15 r=8 p=3 (32 MiB) among the
 * scrypt settings of equal defence (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt);
 * the second needs a quarter of the memory while it runs, which decides the emulator's peak RSS. A stored hash
 * keeps its own parameters (`params`), so hashes made with other settings, older ones or migrated, still verify. `passwords.migrate` also accepts hashes made elsewhere, for the algorithms node:crypto can
 * verify: `scrypt` (with `scrypt_config`) and `pbkdf_2` (with `pbkdf_2_config`, sha256 or sha512).
 * bcrypt and argon2 would need a native package; the emulator answers 400 `invalid_hash_type` for them.
 * A login replaces such a hash with a current one (`checkLoginPassword`), so each account pays the old cost once.
 */
import { pbkdf2, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { StytchApiError } from '../errors.ts';
import { passwordHashSlots } from './hash-slots.ts';
import type { PasswordHash } from './model.ts';
import { PASSING_SCORE, strengthCheck } from './password-strength.ts';

/** Parameters of new hashes: one of OWASP's equivalent scrypt settings, the one with 32 MiB per hash (128 * N * r). */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 3, keylen: 32 } as const;

// Both run on libuv's thread pool, a few at a time (./hash-slots.ts): the pool also signs every token.
function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  // maxmem must exceed 128 * N * r bytes (32 MiB for the defaults; 128 MiB for a stored hash with N=2^17).
  const maxmem = 256 * (opts.N ?? 1) * (opts.r ?? 8) + 1024 * 1024;
  return passwordHashSlots.run(
    () => new Promise((resolve, reject) => scrypt(password, salt, keylen, { ...opts, maxmem }, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

function pbkdf2Async(password: string, salt: Buffer, iterations: number, keylen: number, digest: string): Promise<Buffer> {
  return passwordHashSlots.run(
    () => new Promise((resolve, reject) => pbkdf2(password, salt, iterations, keylen, digest, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const { N, r, p, keylen } = SCRYPT_DEFAULTS;
  const key = await scryptAsync(password, salt, keylen, { N, r, p });
  return { algorithm: 'scrypt', hash: key.toString('base64'), salt: salt.toString('base64'), params: { N, r, p, keylen } };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const salt = Buffer.from(stored.salt, 'base64');
  const { N, r, p, keylen, iterations } = stored.params;
  let actual: Buffer;
  if (stored.algorithm === 'scrypt') actual = await scryptAsync(password, salt, keylen ?? expected.length, { N, r, p });
  else actual = await pbkdf2Async(password, salt, iterations ?? 0, keylen ?? expected.length, stored.params.sha512 ? 'sha512' : 'sha256');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash is not what `hashPassword` makes now: another algorithm, or other scrypt parameters. */
export function isOutdated(stored: PasswordHash): boolean {
  if (stored.algorithm !== 'scrypt') return true;
  const { N, r, p, keylen } = stored.params;
  return N !== SCRYPT_DEFAULTS.N || r !== SCRYPT_DEFAULTS.r || p !== SCRYPT_DEFAULTS.p || keylen !== SCRYPT_DEFAULTS.keylen;
}

/**
 * Checks a login's password against the account's stored hash. When it matches and the hash is outdated (made
 * with the parameters of before, N=2^17 and 128 MiB per check, or migrated from another system, e.g. pbkdf_2),
 * `storeUpgrade` gets a fresh hash of the same password with the current parameters, to store in its place:
 * OWASP's Password Storage Cheat Sheet, "Upgrading Legacy Hashes": hash the password with the new algorithm when
 * the user next logs in (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#upgrading-legacy-hashes).
 * Otherwise every later login would pay the old memory and CPU again. Stored hashes are never visible through
 * the API, so the answer is the same either way. Store it with `withUpgradedHash`.
 */
export async function checkLoginPassword(
  password: string,
  stored: PasswordHash | undefined,
  storeUpgrade: (upgraded: PasswordHash, replaced: PasswordHash) => void,
): Promise<boolean> {
  if (!stored || !(await verifyPassword(password, stored))) return false;
  if (isOutdated(stored)) storeUpgrade(await hashPassword(password), stored);
  return true;
}

/**
 * The account with `upgraded` in place of `replaced`; unchanged if its password was changed while the new hash
 * was computed (a reset, a migrate), so that an upgrade never brings back the password of before.
 */
export function withUpgradedHash<R extends { password?: PasswordHash }>(record: R, upgraded: PasswordHash, replaced: PasswordHash): R {
  const current = record.password;
  return current?.hash === replaced.hash && current.salt === replaced.salt ? { ...record, password: upgraded } : record;
}

/** The `passwords.migrate` fields that describe an imported hash. */
export interface MigratedHashInput {
  hash?: unknown;
  hash_type?: unknown;
  scrypt_config?: { salt?: unknown; n_parameter?: unknown; r_parameter?: unknown; p_parameter?: unknown; key_length?: unknown };
  pbkdf_2_config?: { salt?: unknown; iteration_amount?: unknown; key_length?: unknown; algorithm?: unknown };
}

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Validates an imported hash and turns it into the stored form (hash and salt are base64, as Stytch takes them). */
export function importHash(input: MigratedHashInput): PasswordHash {
  const bad = (message: string) => new StytchApiError('invalid_hash', message);
  if (typeof input.hash !== 'string' || !input.hash) throw bad('hash is required.');
  if (input.hash_type === 'scrypt') {
    const c = input.scrypt_config;
    const N = c?.n_parameter;
    if (typeof c?.salt !== 'string' || !positiveInt(N) || N < 2 || N > 262_144 || (N & (N - 1)) !== 0) {
      throw bad('scrypt_config needs a base64 salt and an n_parameter that is a power of two between 2 and 262,144.');
    }
    if (!positiveInt(c.r_parameter) || !positiveInt(c.p_parameter) || !positiveInt(c.key_length)) {
      throw bad('scrypt_config needs positive r_parameter, p_parameter and key_length.');
    }
    return { algorithm: 'scrypt', hash: input.hash, salt: c.salt, params: { N, r: c.r_parameter, p: c.p_parameter, keylen: c.key_length } };
  }
  if (input.hash_type === 'pbkdf_2') {
    const c = input.pbkdf_2_config;
    const algorithm = c?.algorithm ?? 'sha256';
    if (typeof c?.salt !== 'string' || !positiveInt(c.iteration_amount) || !positiveInt(c.key_length) || (algorithm !== 'sha256' && algorithm !== 'sha512')) {
      throw bad('pbkdf_2_config needs a base64 salt, a positive iteration_amount and key_length, and algorithm sha256 or sha512.');
    }
    return {
      algorithm: 'pbkdf_2',
      hash: input.hash,
      salt: c.salt,
      params: { iterations: c.iteration_amount, keylen: c.key_length, ...(algorithm === 'sha512' ? { sha512: 1 } : {}) },
    };
  }
  throw new StytchApiError(
    'invalid_hash_type',
    `hash_type ${JSON.stringify(input.hash_type)} is not supported by this emulator (it verifies scrypt and pbkdf_2 with node:crypto; bcrypt and argon2 need a native hasher).`,
  );
}

/**
 * Stytch's default strength policy (password-strength.ts): refused with 400 `weak_password`, whose
 * `error_details` carry the fields of the strength-check response (score, feedback…).
 */
export async function checkPasswordStrength(password: unknown, email?: string): Promise<string> {
  if (typeof password !== 'string' || !password) throw new StytchApiError('bad_request', 'password is required.');
  const check = await strengthCheck(password, email);
  if (!check.valid_password) {
    const why = [check.feedback.warning, ...check.feedback.suggestions].filter(Boolean).join(' ');
    throw new StytchApiError('weak_password', `The password is too weak (score ${check.score} of 4, ${PASSING_SCORE} needed).${why ? ` ${why}` : ''}`, {
      details: { ...check },
    });
  }
  return password;
}
