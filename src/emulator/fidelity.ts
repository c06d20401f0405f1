/**
 * Every behaviour of the emulator that a team could rely on, and where it comes from: a Stytch doc page, a
 * file of the `stytch` SDK, a public capture of a live project, an RFC, or a guess (guesses.ts, with the
 * setting that flips it). docs/fidelity.md is generated from this list, the guesses and the error table
 * (`fidelityMarkdown()`); test/fidelity-doc.test.ts keeps the page equal to it.
 */
import { pathToFileURL } from 'node:url';
import { GUESSES, type GuessName } from './guesses.ts';
import { STYTCH_ERRORS } from './errors.ts';

export type Source =
  | { kind: 'doc'; url: string }
  | { kind: 'sdk'; file: string }
  | { kind: 'capture'; what: string }
  | { kind: 'rfc'; ref: string }
  | { kind: 'guess'; guess: GuessName };

export interface Behaviour {
  area: string;
  behaviour: string;
  source: Source;
}

const DOCS = 'https://stytch.com/docs/api-reference';

export const BEHAVIOURS: readonly Behaviour[] = [
  // Errors
  {
    area: 'errors',
    behaviour: "Every `error_type` is one of Stytch's own names (stytch-error-types.txt), except `not_supported_by_emulator`.",
    source: { kind: 'sdk', file: 'stytchauth/stytch-browser packages/core/src/public/StytchAPIErrorType.ts' },
  },
  {
    area: 'errors',
    behaviour: 'Error bodies are `{status_code, request_id, error_type, error_message, error_url}`; `status_code` is in the body.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/errors/overview` },
  },
  {
    area: 'errors',
    behaviour: 'The project-domain OAuth endpoints answer RFC errors `{error, error_description, error_uri}` with `Cache-Control: no-store`.',
    source: { kind: 'rfc', ref: 'RFC 6749 §5.2' },
  },
  {
    area: 'errors',
    behaviour: 'A failed client authentication is 401 `invalid_client` with `WWW-Authenticate: Basic`.',
    source: { kind: 'guess', guess: 'token_client_auth_401' },
  },
  // Discovery
  {
    area: 'discovery',
    behaviour: "The discovery document has the eleven fields of Stytch's documented one.",
    source: { kind: 'doc', url: `${DOCS}/b2b/api/connected-apps/configuration/get-openid-configuration` },
  },
  {
    area: 'discovery',
    behaviour:
      '`registration_endpoint` is advertised when Dynamic Client Registration is on, `client_id_metadata_document_supported` when Client ID Metadata Documents are.',
    source: { kind: 'capture', what: 'the RFC 8414 document of live projects with DCR and CIMD on' },
  },
  {
    area: 'discovery',
    behaviour: 'Revocation, introspection, PKCE and RFC 9207 fields are advertised too.',
    source: { kind: 'guess', guess: 'discovery_extensions' },
  },
  {
    area: 'discovery',
    behaviour: 'Without an Authorization URL, discovery is 400 `authorization_endpoint_not_configured_for_project`.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/errors/400` },
  },
  // Authorization
  {
    area: 'authorize',
    behaviour: 'An empty scope list is refused: 400 `oauth_invalid_scope_requested`.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/connected-apps/consent-management/start-oauth-authorization` },
  },
  {
    area: 'authorize',
    behaviour: 'Exactly one user selector; none: `no_oauth_authorize_user_selector`, several: `too_many_user_selection_arguments`.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/connected-apps/consent-management/start-oauth-authorization` },
  },
  {
    area: 'authorize',
    behaviour: 'An unregistered redirect_uri is 401 `connected_app_supplied_redirect_url_not_found_in_client`, never a redirect.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/errors/401` },
  },
  {
    area: 'authorize',
    behaviour: 'A registered port-less `http://127.0.0.1/…` or `http://[::1]/…` redirect URL matches any port; everything else is an exact string match.',
    source: { kind: 'doc', url: 'https://stytch.com/docs/guides/connected-apps/cli-app' },
  },
  {
    area: 'authorize',
    behaviour: 'A port-less `http://localhost/…` redirect URL matches any port too.',
    source: { kind: 'guess', guess: 'localhost_redirect_any_port' },
  },
  {
    area: 'authorize',
    behaviour:
      "`resources` (RFC 8707) must be absolute URIs without a fragment (else 400 `invalid_url`) and go into the access token's `aud` after the project id; a token request may narrow them (`invalid_target` otherwise).",
    source: { kind: 'rfc', ref: 'RFC 8707 §2' },
  },
  {
    area: 'authorize',
    behaviour:
      'An https `client_id` is a Client ID Metadata Document, fetched and kept as a third-party public client; an unusable one is 400 `invalid_client_id`.',
    source: { kind: 'doc', url: 'https://stytch.com/docs/guides/connected-apps/client-types' },
  },
  { area: 'authorize', behaviour: 'Authorization responses carry `iss`.', source: { kind: 'guess', guess: 'authorization_response_iss' } },
  {
    area: 'domain',
    behaviour:
      'Default-domain mode (seed `project.domain: "default"`, `--domain default`, option `domain`): the authorization response says `iss=stytch.com/{project_id}`, tokens and discovery the project domain. Custom-domain mode (the default, and the demo): one issuer everywhere.',
    source: { kind: 'doc', url: 'https://stytch.com/docs/connected-apps/resources/custom-domains' },
  },
  {
    area: 'consent',
    behaviour: 'After "Revoke Connected App", the next authorization asks for consent again, first-party clients included.',
    source: { kind: 'doc', url: `${DOCS}/consumer/frontend-sdks/react/methods/connected-apps/revoke-connected-app` },
  },
  // Tokens
  {
    area: 'tokens',
    behaviour: 'Revoking a refresh token revokes it and the access token issued with it, not the whole grant.',
    source: { kind: 'doc', url: `${DOCS}/b2b/api/connected-apps/methods/revoke-token` },
  },
  {
    area: 'tokens',
    behaviour: 'Public clients rotate their refresh token; reusing a rotated one revokes the grant.',
    source: { kind: 'rfc', ref: 'RFC 9700 §4.14.2' },
  },
  // Clients
  {
    area: 'clients',
    behaviour: 'Client types are the four of Stytch; another is 400 `invalid_connected_app_type`.',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/connected-apps/clients/create-connected-app` },
  },
  {
    area: 'clients',
    behaviour: 'Third-party clients cannot set `full_access_allowed` or `bypass_consent_for_offline_access` (`third_party_clients_*`).',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/connected-apps/clients/create-connected-app` },
  },
  {
    area: 'clients',
    behaviour: 'Redirect URLs: a scheme, http or https, http only on loopback, no fragment, no duplicates (`connected_app_redirect_url_*`).',
    source: { kind: 'rfc', ref: 'RFC 8252 §7.3, RFC 6749 §3.1.2' },
  },
  { area: 'clients', behaviour: 'Live projects: redirect URLs use https and never localhost.', source: { kind: 'guess', guess: 'live_redirect_url_rules' } },
  {
    area: 'clients',
    behaviour: '`access_token_expiry_minutes` is 5 to 1440 (`idp_invalid_access_token_expiry_minutes`).',
    source: { kind: 'guess', guess: 'access_token_expiry_bounds' },
  },
  {
    area: 'clients',
    behaviour:
      'Dynamic Client Registration: no auth method or `none` makes a third-party public client, deduplicated on identical metadata; a secret method a new third-party client. Refusals are RFC 7591 `invalid_redirect_uri` / `invalid_client_metadata` (a full project too, the description naming the limit).',
    source: { kind: 'doc', url: `${DOCS}/consumer/api/connected-apps/application-management/dynamic-client-registration` },
  },
  {
    area: 'clients',
    behaviour: "Registration while DCR is off: 400 with `error: dynamic_client_registration_not_enabled` (Stytch's name; RFC 7591 has no code for it).",
    source: { kind: 'guess', guess: 'dcr_disabled_stytch_error' },
  },
  {
    area: 'clients',
    behaviour: '`clients.search` ends with `next_cursor: null`.',
    source: { kind: 'sdk', file: 'stytch types/lib/b2c/connected_apps_clients.d.ts' },
  },
  // Identity
  {
    area: 'sessions',
    behaviour: '`sessions.authenticate` returns the `session_token`, for a session JWT too.',
    source: { kind: 'sdk', file: 'stytch types/lib/b2c/sessions.d.ts' },
  },
  {
    area: 'sessions',
    behaviour: 'Revoking a session takes exactly one identifier (`no_session_revoke_arguments`, `too_many_session_revoke_arguments`).',
    source: { kind: 'sdk', file: 'stytch types/lib/b2c/sessions.d.ts' },
  },
  {
    area: 'b2b',
    behaviour: "`organization_id` accepts the slug and the external id; `member_id` the member's external id.",
    source: { kind: 'sdk', file: 'stytch types/lib/b2b/organizations_members.d.ts' },
  },
  {
    area: 'passwords',
    behaviour: 'Strength: zxcvbn score of 3 or more, else 400 `weak_password` with the strength-check fields.',
    source: { kind: 'sdk', file: 'stytch types/lib/b2c/passwords.d.ts (PasswordsStrengthCheckResponse.score)' },
  },
  {
    area: 'passwords',
    behaviour: 'Breach detection cannot run offline: `breached_password` is always false.',
    source: { kind: 'doc', url: 'https://stytch.com/docs/guides/passwords/strength-policy' },
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function sourceCell(source: Source): string {
  switch (source.kind) {
    case 'doc':
      return `Stytch docs: ${source.url}`;
    case 'sdk':
      return `SDK: ${source.file}`;
    case 'capture':
      return `public capture: ${source.what}`;
    case 'rfc':
      return source.ref;
    case 'guess':
      return `**guess**: ${GUESSES[source.guess].why} Switch: \`${source.guess}\``;
  }
}

/** The generated part of docs/fidelity.md. */
export function fidelityMarkdown(): string {
  const behaviours = [
    '| area | the emulator | source |',
    '|---|---|---|',
    ...BEHAVIOURS.map((b) => `| ${b.area} | ${cell(b.behaviour)} | ${cell(sourceCell(b.source))} |`),
  ];
  const guesses = [
    '| switch (seed `project.<switch>`) | default | when on, the emulator | why it is a guess |',
    '|---|---|---|---|',
    ...Object.entries(GUESSES).map(([name, g]) => `| \`${name}\` | ${g.default ? 'on' : 'off'} | ${cell(g.what)} | ${cell(g.why)} |`),
  ];
  const errors = [
    '| `error_type` | status | note |',
    '|---|---|---|',
    ...Object.entries(STYTCH_ERRORS).map(([name, def]) => `| \`${name}\` | ${def.status} | ${'guess' in def ? cell(`guess: ${def.guess}`) : ''} |`),
  ];
  return ['### Behaviours', '', ...behaviours, '', '### Guesses and their switches', '', ...guesses, '', '### Errors the emulator raises', '', ...errors].join(
    '\n',
  );
}

// `npx tsx src/emulator/fidelity.ts` prints the generated part of docs/fidelity.md.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(`${fidelityMarkdown()}\n`);
