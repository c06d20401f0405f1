/**
 * What each failure means for a person integrating a Connected App: what happened, the likely cause, and what to
 * check. Keyed on stable codes (OAuth `error` values, openid-client codes with the failed check, our `ERR_*`
 * codes), never on message text. `lookup` falls back from `CODE:check` to `CODE` to a generic entry.
 */
export interface CatalogueEntry {
  title: string;
  /** HTTP status of our error page. */
  status: number;
  what: string;
  cause: string;
  check: string[];
}

const STATE_COOKIE_CHECKS = [
  'The browser kept the client_sid cookie between /login and /callback: same host name both times (localhost and 127.0.0.1 are different sites), cookies enabled, not a private window that was closed.',
  "The app's public URL (CLIENT_APP_PUBLIC_URL) and the registered redirect URI use the same scheme and host that people actually browse to.",
  'Behind a proxy or load balancer: every instance shares one session store (REDIS_URL) and the proxy forwards cookies.',
  'The login was not finished in another browser or device than the one that started it.',
];

/** openid-client's own iat limit (hybrid flow) and the app's (code flow) mean the same to a person. */
const ISSUED_TOO_LONG_AGO: CatalogueEntry = {
  title: 'The ID token was issued too long ago',
  status: 502,
  what: "The ID token's `iat` (issued at) is more than an hour in the past. A token from the token endpoint is minted for this login, so an old one is refused, even if it has not expired yet.",
  cause: 'A token kept and replayed from an earlier login, or a provider whose clock is far behind.',
  check: ['The provider sets `iat` to the time it issues the token.', 'Clocks on this machine and at the provider are synchronised (NTP).'],
};

const ID_TOKEN_INTEGRITY =
  "The ID token is the provider's signed statement of who logged in; accepting one that fails this check would let a forged or replayed token sign someone in.";

export const CATALOGUE: Record<string, CatalogueEntry> = {
  // ---- State and the pending login (RP-1) ----
  ERR_NO_PENDING_LOGIN: {
    title: 'No login in progress for this browser',
    status: 400,
    what: 'The provider sent the browser back to /callback, but this browser session has no login waiting for an answer. The app stops here without contacting the token endpoint.',
    cause:
      'The session cookie set at /login did not come back: it was blocked, lost (different host name, a proxy, an expired or cleared session), or the callback URL was opened again after the login had already finished. This is what other libraries report as "checks.state argument is missing".',
    check: [...STATE_COOKIE_CHECKS, 'If you reloaded or bookmarked the callback page: that is expected to fail. Start again from the home page.'],
  },
  ERR_STATE_MISSING: {
    title: 'The callback has no state parameter',
    status: 400,
    what: 'The authorization response came back without the `state` value this app sent. Without it the app cannot tell that the response answers its own request, so it stops before exchanging the code.',
    cause: 'The provider (or something between it and the browser) dropped the parameter, or someone opened a crafted callback URL.',
    check: ['The provider echoes `state` unchanged in the redirect (RFC 6749 §4.1.2).', 'No proxy or URL rewriter strips query parameters from /callback.'],
  },
  ERR_STATE_MISMATCH: {
    title: 'The state in the callback does not match',
    status: 400,
    what: 'The `state` value in the callback is not one this browser session sent. The app refuses it (it could be a forged login, RFC 6749 §10.12) and does not exchange the code.',
    cause: 'A callback from another browser or an older attempt, a login started in a second tab whose session was replaced, or a crafted link.',
    check: [...STATE_COOKIE_CHECKS, 'The provider returns `state` byte for byte as it received it (no re-encoding).'],
  },
  ERR_LOGIN_EXPIRED: {
    title: 'The login took too long',
    status: 400,
    what: 'The login this callback answers was started more than 10 minutes ago, so the app discarded it.',
    cause: 'The login page was left open for a long time.',
    check: ['Start again from the home page.'],
  },
  'OAUTH_INVALID_RESPONSE:state-missing': {
    title: 'The callback has no state parameter',
    status: 400,
    what: 'openid-client found no `state` in the authorization response while one was expected.',
    cause: 'The provider dropped the parameter.',
    check: ['The provider echoes `state` unchanged in the redirect.'],
  },
  'OAUTH_INVALID_RESPONSE:state-mismatch': {
    title: 'The state in the callback does not match',
    status: 400,
    what: 'openid-client compared the `state` in the authorization response with the one sent and they differ.',
    cause: 'A forged or stale callback.',
    check: STATE_COOKIE_CHECKS,
  },

  // ---- Mix-up defence (RP-4, RFC 9207) ----
  'OAUTH_INVALID_RESPONSE:iss-param-mismatch': {
    title: 'The callback came from another issuer',
    status: 400,
    what: 'The authorization response carries an `iss` parameter that is not the issuer this login was sent to. The app refuses it without exchanging the code (RFC 9207 mix-up defence).',
    cause:
      'Several providers are configured and a response from one was delivered to a login started with another, or the provider is misconfigured (its `iss` differs from its discovery `issuer`).',
    check: [
      "The provider's discovery `issuer` and the `iss` it appends to redirects are the same string.",
      "The profile's issuer URL is exactly the provider's issuer (scheme, host, port, path).",
    ],
  },
  'OAUTH_INVALID_RESPONSE:iss-param-missing': {
    title: 'The callback has no iss parameter',
    status: 400,
    what: 'The provider advertises `authorization_response_iss_parameter_supported`, but this response has no `iss` parameter, so the app cannot tell which provider sent it.',
    cause: 'A proxy dropped the parameter, or the callback URL was rebuilt from selected parameters instead of passed whole.',
    check: ['Pass the full callback URL to openid-client (this app does).', 'Nothing between the provider and the app strips query parameters.'],
  },

  // ---- Authorization endpoint errors (RFC 6749 §4.1.2.1) ----
  access_denied: {
    title: 'Access was denied',
    status: 403,
    what: 'The provider redirected back with `error=access_denied`: no authorization code was issued, so nobody is signed in.',
    cause:
      "The person declined the consent screen, or the provider's policy refused this client for this user (for example a B2B organization that does not allow this Connected App).",
    check: [
      'If it was a mistake, start again and accept the consent screen.',
      "In the provider's dashboard: the client is allowed for this user or organization, and the requested scopes are grantable.",
    ],
  },
  invalid_scope: {
    title: 'A requested scope is not allowed',
    status: 400,
    what: 'The provider rejected the requested scopes (`error=invalid_scope`).',
    cause: 'The profile asks for a scope the provider does not define, or that this client may not request.',
    check: ["The profile's `scope` lists only scopes from the provider's `scopes_supported`.", "Custom scopes exist in the project's RBAC policy."],
  },
  unauthorized_client: {
    title: 'This client may not use this flow',
    status: 400,
    what: 'The provider says this client is not allowed to use the authorization code grant (`unauthorized_client`).',
    cause: 'The client is registered for other grant types, or is disabled.',
    check: ["The client's allowed grant types include authorization_code (and refresh_token)."],
  },
  invalid_request: {
    title: 'The provider rejected the request as malformed',
    status: 400,
    what: 'The provider answered `invalid_request`: a parameter is missing, repeated or invalid.',
    cause: 'Often a redirect_uri that is not registered exactly, a missing PKCE parameter, or an unsupported parameter value.',
    check: [
      'The redirect URI is registered byte for byte (scheme, host, port, path, trailing slash).',
      "The provider's `error_description` below names the parameter.",
    ],
  },
  login_required: {
    title: 'The provider needs the person to log in',
    status: 400,
    what: 'The provider could not authenticate the person without showing a login page (`login_required`).',
    cause: 'A silent request (prompt=none) found no session at the provider.',
    check: ['Start a normal, interactive login.'],
  },
  consent_required: {
    title: 'The provider needs consent first',
    status: 400,
    what: 'The provider needs the person to consent but was not allowed to ask (`consent_required`).',
    cause: 'A silent request (prompt=none) for scopes the person has not yet granted.',
    check: ['Start a normal, interactive login.'],
  },
  interaction_required: {
    title: 'The provider needs the person to interact',
    status: 400,
    what: 'The provider needs to show a page to the person (`interaction_required`).',
    cause: 'A silent request (prompt=none).',
    check: ['Start a normal, interactive login.'],
  },
  server_error: {
    title: 'The provider had an internal error',
    status: 502,
    what: 'The provider reported `server_error` while handling the authorization request.',
    cause: 'A fault at the provider.',
    check: ["Try again; if it persists, check the provider's status page or logs."],
  },
  temporarily_unavailable: {
    title: 'The provider is temporarily unavailable',
    status: 503,
    what: 'The provider reported `temporarily_unavailable`.',
    cause: 'Overload or maintenance at the provider.',
    check: ['Try again in a moment.'],
  },

  // ---- Token endpoint errors (RFC 6749 §5.2) ----
  invalid_grant: {
    title: 'The provider rejected the authorization code or refresh token',
    status: 400,
    what: 'The token endpoint answered `invalid_grant`. No tokens were issued.',
    cause:
      'For a login: the code was already used (a reloaded or replayed callback), expired, or issued for another client; or the PKCE `code_verifier` does not match the `code_challenge`; or the `redirect_uri` differs from the one used at authorization. For a refresh: the refresh token was revoked, expired, or already rotated (public clients get a new one on every refresh; reusing the old one revokes the whole grant).',
    check: [
      'Each login uses its own PKCE pair, kept server-side until the callback (this app does).',
      'The redirect URI sent at authorization and at the token endpoint is the same string.',
      'Only one refresh runs at a time per session (this app serialises them).',
    ],
  },
  invalid_client: {
    title: "The provider did not accept this client's credentials",
    status: 502,
    what: 'The token endpoint answered `invalid_client` (HTTP 401): it could not authenticate this Connected App.',
    cause:
      'A wrong or rotated client secret, a wrong client id, or an authentication method the client is not registered for (client_secret_basic vs client_secret_post vs none for a public client).',
    check: [
      'The client secret in the profile is the current one (after a rotation, the new one).',
      "The profile's token_endpoint_auth_method matches the client's type: none for public clients, client_secret_basic or client_secret_post for confidential ones.",
      'The provider form-url-decodes HTTP Basic credentials (RFC 6749 §2.3.1): openid-client sends `-` as `%2D`.',
    ],
  },
  unsupported_grant_type: {
    title: 'The provider does not support this grant type',
    status: 502,
    what: 'The token endpoint answered `unsupported_grant_type`.',
    cause: 'The provider or this client does not allow the grant (authorization_code or refresh_token).',
    check: ['The client is allowed the authorization_code and refresh_token grants.'],
  },
  invalid_token: {
    title: 'The provider rejected the access token',
    status: 401,
    what: 'The provider answered `invalid_token`: the access token is expired, revoked or not valid for this endpoint.',
    cause: 'The access token expired or was revoked (logout elsewhere, a revoked grant).',
    check: ['Refresh the tokens, or log in again.'],
  },

  // ---- ID token validation (RP-5) ----
  'OAUTH_INVALID_RESPONSE:signature': {
    title: 'The ID token signature is invalid',
    status: 502,
    what: "The ID token's signature does not verify with the provider's published key. The token was rejected.",
    cause: `The token was altered after signing, or signed with a key the provider does not publish. ${ID_TOKEN_INTEGRITY}`,
    check: ["The provider's jwks_uri serves the key that signs its tokens.", 'Nothing between the provider and this app rewrites token responses.'],
  },
  'OAUTH_INVALID_RESPONSE:alg': {
    title: 'The ID token uses an algorithm this app does not accept',
    status: 502,
    what: "The ID token's `alg` header is not RS256, the only algorithm this app accepts (it is pinned in the client metadata, so a discovery document cannot widen it).",
    cause: 'An unsigned token (`alg: none`), a token signed with a shared secret (HS256), or a provider configured for another algorithm.',
    check: [
      'The provider signs ID tokens with RS256 (Stytch does).',
      'If your provider really uses another algorithm, change id_token_signed_response_alg deliberately, never to none.',
    ],
  },
  OAUTH_KEY_SELECTION_FAILED: {
    title: 'No published key matches the ID token',
    status: 502,
    what: "The ID token names a signing key (`kid`) that is not in the provider's JWKS, even after fetching it again.",
    cause:
      'The provider signed with a new key before publishing it, the token comes from another provider, or the key id was tampered with. openid-client re-fetches the JWKS for an unknown kid at most once a minute.',
    check: ['The provider publishes a new key before signing with it.', "The profile's issuer is the provider that issued the token."],
  },
  'OAUTH_INVALID_RESPONSE:claim-missing': {
    title: 'The ID token lacks a required claim',
    status: 502,
    what: 'The ID token is missing a claim that OpenID Connect requires (iss, sub, aud, exp, iat).',
    cause: 'A non-conforming provider or a broken token.',
    check: ["The provider's ID tokens contain iss, sub, aud, exp and iat."],
  },
  'OAUTH_INVALID_RESPONSE:id-token-missing': {
    title: 'No ID token in the token response',
    status: 502,
    what: 'The token response has no usable `id_token`, so the app cannot tell who logged in.',
    cause: 'The `openid` scope was not granted, or the provider returned an invalid value.',
    check: ["The profile's scope includes openid, and the client may request it."],
  },
  ERR_ID_TOKEN_MISSING: {
    title: 'No ID token in the token response',
    status: 502,
    what: 'The token response has no `id_token`, so the app cannot tell who logged in.',
    cause: 'The `openid` scope was not granted.',
    check: ["The profile's scope includes openid, and the client may request it."],
  },
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:iss': {
    title: 'The ID token comes from another issuer',
    status: 502,
    what: "The ID token's `iss` claim is not the issuer in the provider's discovery document.",
    cause: `A token minted by another provider or project, or a provider whose tokens and discovery disagree about its own name (for example http vs https, or a trailing slash). ${ID_TOKEN_INTEGRITY}`,
    check: [
      "The provider's discovery `issuer` equals the `iss` in its tokens, byte for byte.",
      'The profile points at the right project (test vs live, Consumer vs B2B).',
    ],
  },
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:aud': {
    title: 'The ID token was issued to another client',
    status: 502,
    what: "The ID token's `aud` claim does not contain this client's client_id (or it lists other audiences without an `azp` naming this client).",
    cause: 'A token issued to another Connected App, replayed here, or a profile configured with the wrong client_id.',
    check: ["The profile's client_id is the client the provider issued the token to."],
  },
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:azp': {
    title: 'The ID token was authorized for another client',
    status: 502,
    what: 'The ID token has several audiences and its `azp` (authorized party) is not this client.',
    cause: 'A token issued to another client.',
    check: ["The profile's client_id is the client the provider issued the token to."],
  },
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED:nonce': {
    title: 'The ID token answers another login (nonce mismatch)',
    status: 502,
    what: "The ID token's `nonce` is not the one this login sent. The token may be replayed from another login, so it was rejected.",
    cause: 'A token injected from another session, or a provider that does not echo the nonce it received.',
    check: [
      "The provider copies the authorization request's `nonce` into the ID token unchanged.",
      'Each login sends a fresh nonce, kept server-side (this app does).',
    ],
  },
  'OAUTH_INVALID_RESPONSE:nonce-missing': {
    title: 'The ID token does not answer this login (no nonce)',
    status: 502,
    what: 'This login sent a `nonce`, and the ID token came back without one. Nothing ties the token to this login, so it was rejected.',
    cause: 'A provider that ignores the nonce parameter, or a token minted for another request.',
    check: ["The provider copies the authorization request's `nonce` into the ID token (OpenID Connect Core §3.1.2.1)."],
  },
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:exp': {
    title: 'The ID token has expired',
    status: 502,
    what: "The ID token's `exp` is in the past (beyond 30 seconds of clock tolerance).",
    cause: "The provider issued an already-expired token, or this machine's clock is ahead of the provider's.",
    check: ["This machine's clock is synchronised (NTP).", 'The provider sets exp in the future (Stytch: one hour).'],
  },
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:iat': ISSUED_TOO_LONG_AGO,
  ERR_ID_TOKEN_TOO_OLD: ISSUED_TOO_LONG_AGO,
  ERR_ID_TOKEN_TYPE: {
    title: 'The token is not an ID token',
    status: 502,
    what: "The ID token's `typ` header says it is another kind of token (for example `at+jwt`, an access token), not `JWT`. The app refuses to take one kind of token for another (RFC 8725 §3.11), so nobody was signed in.",
    cause: `The provider put another token in the \`id_token\` field, or a token was swapped in transit. ${ID_TOKEN_INTEGRITY}`,
    check: [
      "The provider's ID tokens have `typ: JWT` in their header, or no `typ` at all (Stytch sends `JWT`).",
      'Nothing between the provider and this app rewrites token responses.',
    ],
  },
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED:nbf': {
    title: 'The ID token is not valid yet',
    status: 502,
    what: "The ID token's `nbf` (not before) is in the future.",
    cause: "This machine's clock is behind the provider's.",
    check: ["This machine's clock is synchronised (NTP)."],
  },
  ERR_AT_HASH_MISMATCH: {
    title: 'The ID token does not belong to this access token',
    status: 502,
    what: "The ID token's `at_hash` is not the hash of the access token that came with it (OpenID Connect Core §3.1.3.8).",
    cause: 'The access token was swapped for another one in transit, or the provider computes at_hash wrongly.',
    check: ['at_hash is the base64url of the left half of SHA-256(access_token) for RS256.'],
  },
  ERR_REFRESHED_ID_TOKEN_MISMATCH: {
    title: 'The refreshed ID token is about someone else',
    status: 502,
    what: 'After the refresh, the new ID token has a different issuer, subject or audience than the one from the login. OpenID Connect Core §12.2 requires them to be the same. The new tokens were discarded and the session ended.',
    cause: 'A provider bug, or tokens of another user or client substituted in the refresh response.',
    check: ['The provider keeps iss, sub and aud of refreshed ID tokens equal to the original ones.'],
  },
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED:sub': {
    title: 'UserInfo describes another person',
    status: 502,
    what: "The UserInfo response's `sub` is not the ID token's `sub`. The profile data was discarded (OpenID Connect Core §5.3.2).",
    cause: 'An access token of another user, or a provider bug.',
    check: ['The provider returns the same sub from UserInfo as in the ID token.'],
  },
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED:issuer': {
    title: 'The discovery document names another issuer',
    status: 502,
    what: "The `issuer` in the provider's discovery document is not the issuer URL configured for this profile.",
    cause:
      'The configured issuer URL differs from what the provider calls itself (scheme, host, port, path, or the project domain vs stytch.com/<project_id>).',
    check: ["Set the profile's issuer to exactly the `issuer` value in /.well-known/openid-configuration."],
  },

  // ---- Transport and provider health ----
  ERR_DISCOVERY_FAILED: {
    title: 'The provider cannot be reached',
    status: 502,
    what: "The app could not load the provider's discovery document (/.well-known/openid-configuration), so it cannot start a login with this profile. It will try again on the next request.",
    cause: 'The provider is not running or not reachable from this server (for the local demo: the emulator is not started), or the issuer URL is wrong.',
    check: [
      'The issuer URL in the profile is right and reachable from this server: open <issuer>/.well-known/openid-configuration.',
      'For the local demo: run `npm start`, which starts the emulator too.',
    ],
  },
  NETWORK_ERROR: {
    title: 'The provider cannot be reached',
    status: 502,
    what: 'A request to the provider failed before any answer came back (connection refused, DNS failure, reset).',
    cause: 'The provider is down or unreachable from this server.',
    check: ['The provider is running and reachable from this server.', 'Proxy and firewall settings of this server.'],
  },
  OAUTH_TIMEOUT: {
    title: 'The provider did not answer in time',
    status: 504,
    what: 'A request to the provider took longer than the configured timeout and was abandoned.',
    cause: 'The provider is slow or overloaded, or the network drops packets.',
    check: ["The provider's health.", 'OIDC_HTTP_TIMEOUT_MS, if the provider is legitimately slow.'],
  },
  OAUTH_RESPONSE_IS_NOT_CONFORM: {
    title: 'The provider answered with an unexpected status',
    status: 502,
    what: 'The provider answered with an HTTP status the protocol does not allow here, and no OAuth error code.',
    cause: 'A fault at the provider (HTTP 5xx), or the URL points at something that is not the expected endpoint.',
    check: ["The provider's health and logs.", 'The issuer URL in the profile.'],
  },
  OAUTH_RESPONSE_IS_NOT_JSON: {
    title: 'The provider answered with something other than JSON',
    status: 502,
    what: 'A protocol endpoint answered with a non-JSON body.',
    cause: 'An error page from a proxy, or a wrong URL.',
    check: ['The issuer URL in the profile.', 'Proxies between this server and the provider.'],
  },
  OAUTH_HTTP_REQUEST_FORBIDDEN: {
    title: 'Plain http to the provider is not allowed',
    status: 500,
    what: 'The provider advertised a plain-http endpoint, and this app only talks plain http to providers on this machine.',
    cause: 'A provider on another host without TLS.',
    check: ["Use the provider's https issuer URL."],
  },
  ERR_INSECURE_ISSUER: {
    title: 'Plain http to the provider is not allowed',
    status: 500,
    what: 'The issuer uses plain http and is not on this machine.',
    cause: 'A misconfigured issuer URL.',
    check: ["Use the provider's https issuer URL; plain http is only for localhost / 127.0.0.1."],
  },

  // ---- The app's own requests ----
  ERR_UNKNOWN_PROFILE: {
    title: 'Unknown client profile',
    status: 404,
    what: 'The login link names a client profile this app does not have.',
    cause: 'An old link, or a typo.',
    check: ['Pick a client on the home page.'],
  },
  ERR_NOT_SIGNED_IN: {
    title: 'You are not signed in',
    status: 401,
    what: 'This action needs a signed-in session, and there is none.',
    cause: 'The session ended (logout, expiry, a failed refresh).',
    check: ['Log in again from the home page.'],
  },
  ERR_NO_REFRESH_TOKEN: {
    title: 'No refresh token',
    status: 400,
    what: 'The provider did not issue a refresh token for this login, so the tokens cannot be refreshed.',
    cause: 'The `offline_access` scope was not requested or not granted.',
    check: ["Add offline_access to the profile's scope, and grant it on the consent screen."],
  },
  ERR_CSRF: {
    title: 'The form has expired',
    status: 403,
    what: "The form was sent without this session's anti-forgery token, so the app ignored it.",
    cause: 'The page was open across a logout or session expiry, or another site tried to submit the form.',
    check: ['Reload the page and try again.'],
  },
  ERR_RATE_LIMITED: {
    title: 'Too many attempts',
    status: 429,
    what: 'There were too many failed requests from your network, so the app paused them. Nothing was sent to the provider.',
    cause: 'Repeated failed logins or callbacks, for example a reloaded callback page, a script, or an attack.',
    check: ['Wait a few minutes (the response says how long in Retry-After), then start again from the home page.'],
  },
  ERR_NOT_FOUND: {
    title: 'Page not found',
    status: 404,
    what: 'There is no page at this address.',
    cause: 'An old link or a typo.',
    check: ['Go back to the home page.'],
  },
  OAUTH_INVALID_RESPONSE: {
    title: "The provider's response failed validation",
    status: 502,
    what: 'openid-client rejected a response from the provider as invalid. The technical detail below names the check.',
    cause: 'A non-conforming or misbehaving provider, or a response altered in transit.',
    check: ["The technical detail below, and the flow inspector's record of the response."],
  },
  OAUTH_JWT_CLAIM_COMPARISON_FAILED: {
    title: 'A token claim has an unexpected value',
    status: 502,
    what: 'A claim in a token from the provider does not have the value this login expects.',
    cause: 'A token issued for another client, issuer or login.',
    check: ['The technical detail below names the claim.'],
  },
  OAUTH_JWT_TIMESTAMP_CHECK_FAILED: {
    title: 'A token is outside its validity period',
    status: 502,
    what: 'A token from the provider is expired, not valid yet, or too old.',
    cause: 'A clock difference between this machine and the provider, or a replayed token.',
    check: ["This machine's clock is synchronised (NTP)."],
  },
  OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED: {
    title: 'A provider response has an unexpected value',
    status: 502,
    what: 'A value in a JSON response from the provider does not match what this app expects.',
    cause: 'A misconfigured profile or a misbehaving provider.',
    check: ['The technical detail below names the attribute.'],
  },
  PROVIDER_ERROR: {
    title: 'The provider returned an error',
    status: 502,
    what: 'The provider answered with an OAuth error code this app has no specific explanation for.',
    cause: "See the provider's description below.",
    check: ["The provider's documentation for this error code."],
  },
  UNEXPECTED: {
    title: 'Something went wrong',
    status: 500,
    what: 'The app hit an error it does not have an explanation for.',
    cause: 'A bug, or a provider answer this app does not recognise.',
    check: ['The server log line with this request id has the details.'],
  },
};

/** Finds the entry for a failure key: `CODE:check`, then `CODE`, then the generic entry. */
export function lookup(key: string): CatalogueEntry & { key: string } {
  const exact = CATALOGUE[key];
  if (exact) return { ...exact, key };
  const base = key.split(':')[0] ?? key;
  const general = CATALOGUE[base];
  if (general) return { ...general, key: base };
  // OAuth error codes are lowercase words (RFC 6749 §5.2); any other one still came from the provider.
  if (/^[a-z_]+$/.test(base)) return { ...(CATALOGUE.PROVIDER_ERROR as CatalogueEntry), key: 'PROVIDER_ERROR' };
  return { ...(CATALOGUE.UNEXPECTED as CatalogueEntry), key: 'UNEXPECTED' };
}
