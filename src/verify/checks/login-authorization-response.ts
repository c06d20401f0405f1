/**
 * What came back to the redirect_uri: a code, the `state` sent (unchanged), no `error`, and an `iss` equal to the
 * issuer (RFC 9207). Stytch puts `stytch.com/{project_id}` there when the Authorization URL's backend calls Stytch
 * through test.stytch.com / api.stytch.com, while tokens say `https://{project domain}`; openid-client then refuses
 * the response (mix-up defence), so every call must go through the project domain (ST-PROJECT-DOMAIN).
 */
import { redact } from '../../shared/log.ts';
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

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
          ? "The Authorization URL's backend calls Stytch through test.stytch.com / api.stytch.com: give its Stytch SDK the project domain (custom_base_url or env = https://{project domain})."
          : 'The authorization response and the tokens must name the same issuer: call Stytch through the project domain everywhere.',
        DASHBOARD.projectDomain,
        details,
      );
    }
    return pass(`code ${redact(p.get('code'), 4)}, state echoed, iss "${iss}"`, details);
  },
};
