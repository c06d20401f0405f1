/**
 * The emulator's guesses, in one place: where Stytch's behaviour is not public, the emulator chooses, and
 * each choice is a project setting that flips it (seed `project.<name>`, or `updateSettings`). docs/fidelity.md
 * lists them with the rest of the emulator's behaviours.
 */

export interface Guess {
  /** What the emulator does when the setting is on. */
  what: string;
  /** Why it is a guess: what Stytch does not document. */
  why: string;
  default: boolean;
}

export const GUESSES = {
  authorization_response_iss: {
    what: 'Authorization responses carry `iss` (RFC 9207).',
    why: 'Stytch documents the `iss` value of the default domain (Connected Apps FAQ), not whether every response has one.',
    default: true,
  },
  discovery_extensions: {
    what:
      'Discovery also advertises revocation_endpoint, introspection_endpoint, code_challenge_methods_supported, ' +
      'authorization_response_iss_parameter_supported, response_modes_supported, claims_supported and the ' +
      'revocation/introspection auth methods: the endpoints exist, and standards-based clients look for them there.',
    why: "Stytch's documented discovery document (Get OpenID Configuration) lists eleven fields without these; live documents are not public.",
    default: true,
  },
  live_redirect_url_rules: {
    what: 'In live projects, a Connected App redirect URL must use https and must not name localhost; test projects allow http on loopback, localhost included.',
    why: 'Stytch names the errors (connected_app_redirect_url_must_use_https_scheme, connected_app_redirect_url_cannot_use_localhost) but does not document when each applies.',
    default: true,
  },
  localhost_redirect_any_port: {
    what: 'A registered port-less `http://localhost/…` redirect URL matches any port, like the loopback IP literals (src/shared/redirect-uri.ts); off: localhost is matched exactly.',
    why: 'Stytch documents the any-port rule for http://127.0.0.1 (CLI app guide, RFC 8252 §7.3), not whether localhost gets it.',
    default: false,
  },
  dcr_disabled_stytch_error: {
    what: "Registration while Dynamic Client Registration is off is 400 with `error: dynamic_client_registration_not_enabled`, Stytch's name (RFC 7591 has no code for it); off: 403 `access_denied`.",
    why: "Stytch names the error (its SDK's error list) but does not document the answer of its OAuth registration endpoint when DCR is off.",
    default: true,
  },
  token_client_auth_401: {
    what: 'A failed client authentication at the token, revoke and introspect endpoints is 401 invalid_client with WWW-Authenticate (RFC 6749 §5.2); off: 400 invalid_client.',
    why: "Stytch's pages for these endpoints do not say which status a wrong or missing client secret gets.",
    default: true,
  },
  access_token_expiry_bounds: {
    what: 'access_token_expiry_minutes must be 5 to 1440 (idp_invalid_access_token_expiry_minutes).',
    why: 'Stytch documents the default (60), not the bounds.',
    default: true,
  },
} as const satisfies Record<string, Guess>;

export type GuessName = keyof typeof GUESSES;
export type GuessSettings = Record<GuessName, boolean>;

export const GUESS_DEFAULTS: GuessSettings = Object.fromEntries(Object.entries(GUESSES).map(([k, g]) => [k, g.default])) as GuessSettings;
