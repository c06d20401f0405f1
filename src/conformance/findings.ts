/**
 * The findings a conformance run reports besides the fault scenarios, defined once: the relying party's hygiene
 * (what its authorization request carried, as the emulator saw it) and the verdicts a row can have. The section
 * "Conformance findings" of docs/faults.md is generated from this data (a test keeps it equal), so every id the
 * output cites is defined in the repository, with its primary source.
 */
import type { EvidenceEvent } from '../emulator/index.ts';

type AuthorizationRequest = Extract<EvidenceEvent, { kind: 'authorization_request' }>;

export interface HygieneRule {
  /** The row's name in the output, JSON and JUnit. */
  id: 'rp-sends-state' | 'rp-sends-nonce' | 'rp-uses-pkce-s256' | 'rp-redirect-uri-exact';
  /** What the relying party must send. */
  rpMustDo: string;
  source: string;
  /** Whether the authorization request complies. */
  holds(request: AuthorizationRequest): boolean;
  /** What was seen, for the row. */
  seen(request: AuthorizationRequest): string;
}

export const HYGIENE_RULES: readonly HygieneRule[] = [
  {
    id: 'rp-sends-state',
    rpMustDo: 'Send an unguessable `state` bound to the browser session, and compare it on the way back: it stops cross-site request forgery of the callback.',
    source: 'RFC 6749 §10.12; RFC 9700 §2.1',
    holds: (r) => r.state_sent,
    seen: (r) => (r.state_sent ? 'state sent' : 'NO STATE in the authorization request'),
  },
  {
    id: 'rp-sends-nonce',
    rpMustDo: 'Send a `nonce` and require it in the ID token: it binds the ID token to this login and stops replay. Without it the nonce scenarios cannot run.',
    source: 'OIDC Core §3.1.2.1, §15.5.2',
    holds: (r) => r.nonce_sent,
    seen: (r) => (r.nonce_sent ? 'nonce sent' : 'NO NONCE in the authorization request: nonce-invalid and nonce-missing cannot be exercised'),
  },
  {
    id: 'rp-uses-pkce-s256',
    rpMustDo:
      'Send a PKCE `code_challenge` with `code_challenge_method=S256` (the Authorization URL refuses any other method), and the verifier at the token endpoint.',
    source: 'RFC 7636 §4.2-4.3; RFC 9700 §2.1.1',
    holds: (r) => r.code_challenge_sent,
    seen: (r) => (r.code_challenge_sent ? 'S256 code_challenge sent' : 'NO PKCE code_challenge in the authorization request'),
  },
  {
    id: 'rp-redirect-uri-exact',
    rpMustDo: "Send a `redirect_uri` that is one of the client's registered redirect URLs, byte for byte.",
    source: 'RFC 6749 §3.1.2; RFC 9700 §2.1, §4.1.3',
    holds: (r) => r.redirect_uri_registered,
    seen: (r) =>
      r.redirect_uri_registered
        ? `redirect_uri ${r.redirect_uri} is registered`
        : `redirect_uri ${r.redirect_uri ?? '(none)'} is not one of the client's registered redirect URLs`,
  },
];

/** What each result of a row means; the summary counts each apart. */
export const VERDICTS = {
  pass: 'The relying party did what a correct one does: it signed the person in where it must accept; where it must reject, it refused and, visited afterwards, its protected URL did not show the person signed in.',
  fail: 'It did not: it signed someone in where it must reject, refused where it must accept, kept the session after a refusal ("session kept"), or the flow could not be driven.',
  'not exercised':
    'The fault was never delivered (the emulator recorded no injection for the client during the row, e.g. the relying party never called UserInfo), or the emulator rate-limited the row; the row says why. Neither pass nor fail.',
  skipped: 'The scenario cannot apply: another project type, or a refresh scenario without --rp-refresh-text.',
} as const;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The "Conformance findings" tables of docs/faults.md. */
export function findingsMarkdown(): string {
  return [
    '| finding | a correct relying party… | source |',
    '|---|---|---|',
    ...HYGIENE_RULES.map((r) => `| <a id="${r.id}"></a>\`${r.id}\` | ${cell(r.rpMustDo)} | ${cell(r.source)} |`),
    '',
    '| result | meaning |',
    '|---|---|',
    ...Object.entries(VERDICTS).map(([name, meaning]) => `| **${name}** | ${cell(meaning)} |`),
  ].join('\n');
}
