/**
 * Stytch's default domain: the authorization response says iss=stytch.com/{project_id} while discovery names the
 * project domain (Stytch's Connected Apps FAQ). verify fails login.authorization-response with the fix (a custom
 * domain) and where it is made in the Dashboard.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_FIX, loginAuthorizationResponse } from '../checks/login-authorization-response.ts';
import type { VerifyContext } from '../context.ts';
import { DASHBOARD } from '../dashboard.ts';

const ISSUER = 'https://example-project.customers.stytch.dev';

function run(iss: string) {
  const callbackUrl = new URL(`https://app.example/callback?code=c0de&state=s1&iss=${encodeURIComponent(iss)}`);
  const facts = {
    discovery: { url: `${ISSUER}/.well-known/openid-configuration`, document: { issuer: ISSUER } },
    authorization: { callbackUrl, state: 's1', nonce: 'n', codeVerifier: 'v' },
  };
  return loginAuthorizationResponse.run({ facts } as unknown as VerifyContext);
}

describe("verify on a project with Stytch's default domain", () => {
  it('fails login.authorization-response and names the fix: a custom domain', async () => {
    const outcome = await run('stytch.com/project-test-00000000-0000-4000-8000-000000000000');
    expect(outcome).toMatchObject({ status: 'fail', fix: DEFAULT_DOMAIN_FIX, where: DASHBOARD.customDomain });
    expect(outcome.seen).toContain('stytch.com/project-test-');
    expect(DEFAULT_DOMAIN_FIX).toMatch(/custom domain/);
  });

  it('passes with a custom domain: one issuer everywhere', async () => {
    expect((await run(ISSUER)).status).toBe('pass');
  });
});
