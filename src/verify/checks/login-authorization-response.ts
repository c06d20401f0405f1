/**
 * What came back to the redirect_uri: a code, the `state` sent (unchanged), no `error`, and an `iss` equal to the
 * issuer (RFC 9207). On a project's default domain, Stytch's authorization response says `stytch.com/{project_id}`
 * while tokens and discovery say `https://{project domain}` (Stytch's Connected Apps FAQ); openid-client then
 * refuses the response (mix-up defence). The fix is a custom domain, used as the issuer everywhere.
 */
import { redact } from '../../shared/log.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

/** Stytch's default domain (Connected Apps FAQ): RFC 9207 clients cannot pass until the project has a custom domain. */
export const DEFAULT_DOMAIN_FIX =
  "The project uses Stytch's default domain, where the authorization response says iss=stytch.com/{project_id} but tokens and discovery " +
  'name the project domain, so RFC 9207 clients such as openid-client refuse it. Give the project a custom domain and use it as the issuer ' +
  "(https://stytch.com/docs/connected-apps/resources/custom-domains). With a custom domain already set, make the Authorization URL's " +
  'backend call Stytch through it too.';

export const loginAuthorizationResponse: Check = {
  id: 'login.authorization-response',
  title: 'Authorization response: code, state echoed, iss = issuer',
  required: true,
  needs: ['login.browser'],
  async run({ facts }) {
    const { callbackUrl, state } = facts.authorization!;
    const issuer = String(facts.discovery!.document.issuer);
    const p = callbackUrl.searchParams;
    const details = { iss: p.get('iss'), state_echoed: p.get('state') === state, code: p.has('code'), error: p.get('error') };
    const error = p.get('error');
    if (error) {
      return fail(
        `error=${error}${p.get('error_description') ? ` (${p.get('error_description')})` : ''}`,
        error === 'access_denied'
          ? 'Consent was denied or is not grantable: check the scopes the test user may grant.'
          : 'The Authorization URL ended the flow with an error; its description says why.',
        DASHBOARD.authorizationUrl,
        details,
      );
    }
    if (!p.get('code'))
      return fail(
        'no code and no error in the redirect',
        "Redirect to the redirect_uri that Stytch's authorize API returns, unchanged (it carries the code).",
        DASHBOARD.authorizationUrl,
        details,
      );
    if (p.get('state') !== state) {
      return fail(
        `state ${p.has('state') ? 'changed' : 'missing'} (sent ${redact(state, 4)}, got ${redact(p.get('state'), 4)})`,
        "Pass the state parameter through unchanged: Stytch's authorize API echoes it into the redirect_uri it returns.",
        DASHBOARD.authorizationUrl,
        details,
      );
    }
    const iss = p.get('iss');
    if (iss === null) {
      if (facts.discovery!.document.authorization_response_iss_parameter_supported === true) {
        return fail(
          'no iss, although discovery advertises authorization_response_iss_parameter_supported',
          'Redirect to the redirect_uri Stytch returns without dropping its iss parameter.',
          DASHBOARD.authorizationUrl,
          details,
        );
      }
      return warn(
        'code and state are fine; no iss parameter (RFC 9207), so clients cannot detect mix-up attacks',
        'Nothing to change in the app; clients then rely on the token iss only.',
        undefined,
        details,
      );
    }
    if (iss !== issuer) {
      return fail(
        `iss "${iss}" ≠ issuer "${issuer}"`,
        /^stytch\.com\//.test(iss)
          ? DEFAULT_DOMAIN_FIX
          : 'The authorization response and the tokens must name the same issuer: call Stytch through the project domain everywhere.',
        /^stytch\.com\//.test(iss) ? DASHBOARD.customDomain : DASHBOARD.projectDomain,
        details,
      );
    }
    return pass(`code ${redact(p.get('code'), 4)}, state echoed, iss "${iss}"`, details);
  },
};
