/**
 * The OIDC profile of a user or member (ST-ID-TOKEN): the inputs of the ID token and userinfo claims.
 * The OAuth side picks the claims a granted scope allows (`profile`, `email`, `phone`); this module only
 * says what each person's values are. Absent values are left out, never sent as empty strings.
 *
 * Consumer: names from `user.name.{first,middle,last}_name`; email = the first verified email (else the
 * first email, with `email_verified: false`); phone likewise; picture and locale from the first OAuth
 * provider that has them.
 *
 * B2B (UNCONFIRMED, ST-GUESS-B2B-NAME): `member.name` is one string. The emulator keeps it whole as
 * `name` and splits it at the last space: `given_name` = everything before, `family_name` = the last word
 * ("Ada King Lovelace" → "Ada King" / "Lovelace"); a one-word name is only a `given_name`. No `middle_name`.
 * Phone = the member's MFA phone number and its verification flag.
 */
import type { Identity, Member, User } from './model.ts';

export interface OidcProfile {
  sub: string;
  name?: string;
  given_name?: string;
  middle_name?: string;
  family_name?: string;
  picture?: string;
  locale?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
}

/** Claims each standard scope releases (OIDC Core §5.4, as Stytch documents them). */
export const SCOPE_CLAIMS = {
  profile: ['name', 'given_name', 'middle_name', 'family_name', 'picture', 'locale'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
} as const satisfies Record<string, ReadonlyArray<keyof OidcProfile>>;

export function oidcProfile(identity: Identity): OidcProfile {
  return identity.kind === 'user' ? userProfile(identity.user) : memberProfile(identity.member);
}

/** The profile restricted to the claims the granted scopes release (plus `sub`). */
export function claimsForScopes(profile: OidcProfile, scopes: readonly string[]): OidcProfile {
  const out: OidcProfile = { sub: profile.sub };
  for (const scope of scopes) {
    const keys = SCOPE_CLAIMS[scope as keyof typeof SCOPE_CLAIMS];
    if (!keys) continue;
    for (const key of keys) if (profile[key] !== undefined) Object.assign(out, { [key]: profile[key] });
  }
  return out;
}

function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== '')) as T;
}

export function userProfile(user: User): OidcProfile {
  const first = user.name?.first_name || undefined;
  const middle = user.name?.middle_name || undefined;
  const last = user.name?.last_name || undefined;
  const fullName = [first, middle, last].filter(Boolean).join(' ') || undefined;
  const email = user.emails.find((e) => e.verified) ?? user.emails[0];
  const phone = user.phone_numbers.find((p) => p.verified) ?? user.phone_numbers[0];
  const provider = user.providers.find((p) => p.profile_picture_url || p.locale);
  return defined({
    sub: user.user_id,
    name: fullName,
    given_name: first,
    middle_name: middle,
    family_name: last,
    picture: provider?.profile_picture_url || undefined,
    locale: provider?.locale || undefined,
    email: email?.email,
    email_verified: email ? email.verified : undefined,
    phone_number: phone?.phone_number,
    phone_number_verified: phone ? phone.verified : undefined,
  });
}

export function splitMemberName(name: string): { given_name?: string; family_name?: string } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) return {};
  const at = trimmed.lastIndexOf(' ');
  return at < 0 ? { given_name: trimmed } : { given_name: trimmed.slice(0, at), family_name: trimmed.slice(at + 1) };
}

export function memberProfile(member: Member): OidcProfile {
  const name = member.name.trim() || undefined;
  return defined({
    sub: member.member_id,
    name,
    ...(name ? splitMemberName(name) : {}),
    email: member.email_address,
    email_verified: member.email_address_verified,
    phone_number: member.mfa_phone_number || undefined,
    phone_number_verified: member.mfa_phone_number ? member.mfa_phone_number_verified : undefined,
  });
}
