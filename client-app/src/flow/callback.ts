/**
 * The callback, spelled out in one place. Each step either passes or ends the login on the error page with
 * nobody signed in:
 *
 *   1. match and consume the pending login by `state`          (RP-1; saved before any token request)
 *   2. discovery of the profile's issuer                        (cached)
 *   3. code exchange and ID token validation by openid-client  (RP-2..RP-5: iss param, state, PKCE, signature,
 *                                                                alg, iss, aud, azp, exp, iat, nonce)
 *   4. the ID token rules openid-client leaves to the app:     (typ, iat age, at_hash when present;
 *                                                                src/flow/id-token-rules.ts)
 *   5. UserInfo with the ID token's sub as expected subject    (RP-6)
 *   6. a new session id, then tokens stored server-side        (RP-11, RP-12)
 *
 * Every step adds to the flow inspector's timeline (kept beside the session: inspector/timeline-store.ts); on
 * failure the timeline travels with the error.
 */
import type { Request } from 'express';
import type * as oidc from 'openid-client';
import { regenerateSession, saveSession } from '../../../src/shared/session.ts';
import { csrfToken } from '../web/csrf.ts';
import { redact } from '../../../src/shared/log.ts';
import { type AppContext, profileOf } from '../context.ts';
import { classify, FlowFailure, type Failure } from '../errors.ts';
import { reportIdToken } from '../inspector/id-token-report.ts';
import { errorStep, noteStep, traceSteps, type Param, type Step } from '../inspector/timeline.ts';
import { traced, type Trace } from '../inspector/trace.ts';
import { ID_TOKEN_ALG, serverMetadataOf } from '../oidc/issuers.ts';
import type { PendingLogin } from '../session-data.ts';
import { callbackUrl, exchangeCode } from './code-exchange.ts';
import { assertAppIdTokenRules } from './id-token-rules.ts';
import { revokeTokens } from './logout.ts';
import { takePendingLogin } from './pending.ts';
import { toTokenSet } from './tokens.ts';
import { fetchUserInfo } from './userinfo.ts';

function callbackStep(query: URLSearchParams): Step {
  const params: Param[] = [...query.entries()].map(([name, value]) => ({
    name,
    value: name === 'code' ? redact(value) : value,
    note: name === 'code' ? 'One-time authorization code (redacted); exchanged at the token endpoint with the PKCE verifier.' : undefined,
  }));
  const failed = query.has('error');
  return {
    kind: 'callback',
    at: Date.now(),
    title: failed ? 'Callback: the provider returned an error' : 'Callback from the provider',
    status: failed ? 'failed' : 'ok',
    params,
  };
}

/** Endpoint URLs of the provider, to name the recorded exchanges. */
export function endpointsOf(config: oidc.Configuration): Record<string, string | undefined> {
  const m = serverMetadataOf(config);
  return {
    token_endpoint: m.token_endpoint,
    userinfo_endpoint: m.userinfo_endpoint,
    revocation_endpoint: m.revocation_endpoint,
    jwks_uri: m.jwks_uri,
    introspection_endpoint: m.introspection_endpoint,
  };
}

export function lastIdToken(trace: Trace): string | undefined {
  const raw = trace.rawTokenResponses.at(-1)?.id_token;
  return typeof raw === 'string' ? raw : undefined;
}

export function jwksKids(trace: Trace): string[] | undefined {
  return trace.jwks?.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string');
}

/** Failures of the app's own ID token rules (src/flow/id-token-rules.ts). */
const APP_ID_TOKEN_FAILURES = new Set(['ERR_ID_TOKEN_TYPE', 'ERR_ID_TOKEN_TOO_OLD', 'ERR_AT_HASH_MISMATCH', 'ERR_REFRESHED_ID_TOKEN_MISMATCH']);

/** Failures that are about the ID token itself (as opposed to the HTTP exchange around it). */
export function concernsIdToken(failure: Failure): boolean {
  return (
    /^OAUTH_(INVALID_RESPONSE:(signature|alg|claim-missing|nonce-missing)|KEY_SELECTION_FAILED|JWT_)/.test(failure.key) ||
    APP_ID_TOKEN_FAILURES.has(failure.key)
  );
}

export async function completeLogin(ctx: AppContext, req: Request): Promise<void> {
  const query = new URL(req.originalUrl, ctx.publicUrl).searchParams;
  const steps: Step[] = [callbackStep(query)];

  // 1. The pending login: found by state, removed, and the removal saved before the code is exchanged.
  let pending: PendingLogin;
  try {
    pending = takePendingLogin(req.session, query);
  } catch (err) {
    const failure = await classify(err);
    steps.push(errorStep(failure, 'Callback rejected before any token request'));
    // With no login in progress the session is left untouched: a stray callback must not create one.
    if (failure.key !== 'ERR_NO_PENDING_LOGIN') {
      await ctx.timelines.put(req, { startedAt: Date.now(), outcome: 'failed', steps });
      await saveSession(req);
    }
    throw new FlowFailure(failure, steps, { cause: err });
  }
  await saveSession(req);
  steps.unshift(...pending.steps);
  const flow = { profileId: pending.profileId, startedAt: pending.createdAt };

  let issued: { config: oidc.Configuration; tokens: Parameters<typeof revokeTokens>[1] } | undefined;
  try {
    const profile = profileOf(ctx, pending.profileId);

    // 2. Discovery (cached after the first login).
    const discovered = await traced(() => ctx.issuers.get(profile));
    steps.push(...traceSteps(discovered.trace, {}));
    if (discovered.error) throw discovered.error;
    const config = discovered.result as oidc.Configuration;
    const endpoints = endpointsOf(config);
    const issuer = serverMetadataOf(config).issuer;

    // 3. Code exchange; openid-client validates the response and the ID token.
    const exchange = await traced(() => exchangeCode(config, pending, callbackUrl(profile.redirectUri, req.originalUrl)));
    steps.push(...traceSteps(exchange.trace, endpoints));
    const rawIdToken = lastIdToken(exchange.trace);
    const reportContext = { issuer, clientId: profile.clientId, nonce: pending.nonce, jwksKids: jwksKids(exchange.trace) };
    if (exchange.error) {
      const failure = await classify(exchange.error);
      if (rawIdToken && concernsIdToken(failure)) {
        steps.push({
          kind: 'id_token',
          at: Date.now(),
          title: 'ID token rejected',
          status: 'failed',
          report: reportIdToken(rawIdToken, reportContext, failure),
        });
      }
      throw new FlowFailure(failure, steps, { cause: exchange.error });
    }
    const response = exchange.result as Awaited<ReturnType<typeof exchangeCode>>;
    const tokens = toTokenSet(response, profile.scopes.join(' '));
    issued = { config, tokens };
    const claims = (response.claims() ?? {}) as Record<string, unknown>;

    // 4. The ID token rules openid-client leaves to the application in the code flow.
    const idReportContext = { ...reportContext, accessToken: tokens.accessToken };
    try {
      assertAppIdTokenRules(tokens.idToken, claims, tokens.accessToken, ID_TOKEN_ALG);
    } catch (err) {
      const failure = await classify(err);
      steps.push({
        kind: 'id_token',
        at: Date.now(),
        title: 'ID token rejected',
        status: 'failed',
        report: reportIdToken(tokens.idToken, idReportContext, failure),
      });
      throw new FlowFailure(failure, steps, { cause: err });
    }
    steps.push({ kind: 'id_token', at: Date.now(), title: 'ID token validated', status: 'ok', report: reportIdToken(tokens.idToken, idReportContext) });

    // 5. UserInfo, about the same subject.
    const sub = String(claims.sub);
    const userinfo = await traced(() => fetchUserInfo(config, tokens.accessToken, sub));
    steps.push(...traceSteps(userinfo.trace, endpoints));
    if (userinfo.error) throw userinfo.error;
    if (userinfo.result) steps.push({ kind: 'claims', at: Date.now(), title: 'UserInfo (same sub as the ID token)', status: 'ok', claims: userinfo.result });

    // 6. A new session id for the signed-in session (no fixation), then the tokens, server-side only.
    await regenerateSession(req);
    // The account page's forms need the new session's anti-forgery token: minted here, it is stored by the
    // write below instead of costing the session a second write on /account.
    csrfToken(req);
    steps.push(
      noteStep(
        'Signed in',
        'The session id was regenerated and the tokens were stored in the server-side session. The browser only holds the session cookie (client_sid: HttpOnly, SameSite=Lax).',
        'ok',
      ),
    );
    req.session.auth = {
      profileId: profile.id,
      tokens,
      original: { iss: String(claims.iss), sub, aud: claims.aud as string | string[] },
      idClaims: claims,
      userinfo: userinfo.result,
      signedInAt: Date.now(),
    };
    // The old id's timeline went with it (regenerate destroys it); the finished one is kept under the new id.
    await ctx.timelines.put(req, { ...flow, outcome: 'signed_in', steps });
    await saveSession(req);
    req.log.info({ profile: profile.id, sub }, 'signed in');
  } catch (err) {
    const failure = await classify(err);
    steps.push(errorStep(failure, 'Login failed'));
    // Tokens already issued for a login we refuse are handed back, so they cannot be used elsewhere.
    if (issued) {
      const { config, tokens } = issued;
      const revocation = await traced(() => revokeTokens(config, tokens));
      steps.push(...traceSteps(revocation.trace, endpointsOf(config)));
    }
    await ctx.timelines.put(req, { ...flow, outcome: 'failed', steps });
    await saveSession(req);
    throw new FlowFailure(failure, steps, { cause: err });
  }
}
