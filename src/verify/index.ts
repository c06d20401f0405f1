/**
 * `verify`'s pipeline, in one place: every check, in the order it runs. Like node-oidc-provider's chained check
 * modules, each check is one file that does one thing; earlier checks leave facts (the discovery document, the
 * client's registration, the tokens) for later ones, and a check whose `needs` did not pass is skipped with the
 * reason, so one root cause gives one ✖ instead of a cascade.
 */
import type { Facts, Target, VerifyContext } from './context.ts';
import { httpRequest } from './context.ts';
import { scrubResult, sensitiveValues } from './scrub.ts';
import type { Check, CheckResult, VerifyReport } from './types.ts';
import { environment } from './checks/environment.ts';
import { discoveryReachable } from './checks/discovery-reachable.ts';
import { discoveryIssuer } from './checks/discovery-issuer.ts';
import { discoveryAuthorizationEndpoint } from './checks/discovery-authorization-endpoint.ts';
import { discoveryEndpoints } from './checks/discovery-endpoints.ts';
import { discoveryPkce } from './checks/discovery-pkce.ts';
import { discoveryJwks } from './checks/discovery-jwks.ts';
import { clientExists } from './checks/client-exists.ts';
import { clientType } from './checks/client-type.ts';
import { clientAuthMethod } from './checks/client-auth-method.ts';
import { clientRedirectUri } from './checks/client-redirect-uri.ts';
import { clientScopes } from './checks/client-scopes.ts';
import { authorizationUrlAnswers } from './checks/authorization-url.ts';
import { clientCredentials } from './checks/client-credentials.ts';
import { loginBrowser } from './checks/login-browser.ts';
import { loginAuthorizationResponse } from './checks/login-authorization-response.ts';
import { loginCodeExchange } from './checks/login-code-exchange.ts';
import { loginIdToken } from './checks/login-id-token.ts';
import { loginUserinfo } from './checks/login-userinfo.ts';
import { loginRefresh } from './checks/login-refresh.ts';
import { loginRevocation } from './checks/login-revocation.ts';
import { mcpMetadata } from './checks/mcp-metadata.ts';
import { mcpDcr } from './checks/mcp-dcr.ts';

export const CHECKS: readonly Check[] = [
  // The project: environment, discovery, keys.
  environment,
  discoveryReachable,
  discoveryIssuer,
  discoveryAuthorizationEndpoint,
  discoveryEndpoints,
  discoveryPkce,
  discoveryJwks,
  // The client's registration, compared with what the app sends.
  clientExists,
  clientType,
  clientAuthMethod,
  clientRedirectUri,
  clientScopes,
  // The live endpoints, without a person.
  clientCredentials,
  authorizationUrlAnswers,
  // A real login with a test user, each step timed.
  loginBrowser,
  loginAuthorizationResponse,
  loginCodeExchange,
  loginIdToken,
  loginUserinfo,
  loginRefresh,
  loginRevocation,
  // MCP clients.
  mcpMetadata,
  mcpDcr,
];

export interface RunOptions {
  /** Called before each check runs, and by slow checks with progress lines. */
  onProgress?: (message: string) => void;
  /** Called after each check, for output that streams. */
  onResult?: (result: CheckResult) => void;
  checks?: readonly Check[];
}

/** What was checked, for reports: no secrets. The issuer is the discovered one once known. */
export function describeTarget(target: Target, discoveredIssuer?: string): VerifyReport['target'] {
  return {
    mode: target.mode,
    issuer: discoveredIssuer ?? target.issuer ?? target.apiUrl,
    projectId: target.projectId,
    clientId: target.clientId,
    redirectUri: target.redirectUri,
    scopes: target.scopes,
  };
}

export async function runVerify(target: Target, options: RunOptions = {}): Promise<VerifyReport> {
  const facts: Facts = {};
  const ctx: VerifyContext = {
    target,
    facts,
    http: (url, init = {}) => httpRequest(url, init, target.timeoutMs),
    progress: (message) => options.onProgress?.(message),
  };
  const results: CheckResult[] = [];
  // Checks that did not pass or warn: a check that `needs` one of them cannot run either.
  const notRun = new Set<string>();
  // Checks that failed, or were skipped because of a failure: a check `pointlessIf` one of them is skipped.
  const broken = new Set<string>();
  const started = performance.now();

  for (const check of options.checks ?? CHECKS) {
    const base = { id: check.id, title: check.title, required: check.required };
    const needed = check.needs?.find((id) => notRun.has(id));
    const blocker = needed ?? check.pointlessIf?.find((id) => broken.has(id));
    let result: CheckResult;
    if (blocker) {
      const failed = results.find((r) => r.id === blocker)?.status === 'fail';
      const seen = needed
        ? `not run: needs ${blocker} (${failed ? '✖' : 'not run'})`
        : `not run: pointless until ${blocker} passes (${failed ? '✖' : 'not run'})`;
      result = { ...base, status: 'skip', seen, durationMs: 0 };
      if (broken.has(blocker)) broken.add(check.id);
    } else {
      options.onProgress?.(check.title);
      const t0 = performance.now();
      try {
        const outcome = await check.run(ctx);
        result = { ...base, ...outcome, durationMs: Math.round(performance.now() - t0) };
      } catch (err) {
        // A bug or an unexpected answer in one check must not hide the others.
        result = {
          ...base,
          status: 'fail',
          seen: `the check itself failed: ${err instanceof Error ? err.message : String(err)}`,
          fix: 'This is a problem in verify or an answer it did not expect; please report it with the --json output.',
          durationMs: Math.round(performance.now() - t0),
        };
      }
      if (result.status === 'fail') broken.add(check.id);
    }
    if (result.status === 'fail' || result.status === 'skip') notRun.add(check.id);
    result = scrubResult(result, sensitiveValues(target, facts));
    results.push(result);
    options.onResult?.(result);
  }

  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const requiredFailed = results.filter((r) => r.required && r.status === 'fail').length;
  return {
    target: describeTarget(target, facts.discovery ? String(facts.discovery.document.issuer) : undefined),
    results,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      warnings: count('warn'),
      skipped: count('skip'),
      requiredFailed,
      durationMs: Math.round(performance.now() - started),
    },
    ok: requiredFailed === 0,
  };
}
