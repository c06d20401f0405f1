/**
 * Stytch does PKCE with S256 only (ST-IDP-AUTHORIZE), public clients cannot log in without it, and this toolkit
 * uses it for confidential clients too (RFC 9700 §2.1.1). The discovery document should say so, so that
 * generic clients (MCP clients among them) send a challenge.
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass, warn } from '../outcome.ts';
import type { Check } from '../types.ts';

export const discoveryPkce: Check = {
  id: 'discovery.pkce',
  title: 'PKCE S256 is advertised (code_challenge_methods_supported)',
  required: true,
  needs: ['discovery.reachable'],
  async run({ facts }) {
    const methods = facts.discovery!.document.code_challenge_methods_supported;
    if (methods === undefined) {
      return warn(
        'code_challenge_methods_supported is not advertised',
        'Send a PKCE S256 challenge anyway (Stytch requires it for public clients); generic OAuth clients that read this field will not.',
        DASHBOARD.projectDomain,
      );
    }
    if (!Array.isArray(methods) || !methods.includes('S256')) {
      return fail(
        `code_challenge_methods_supported is ${JSON.stringify(methods)}, without S256`,
        'The issuer must support PKCE with S256; check that STYTCH_API_URL is the Stytch project domain.',
        DASHBOARD.projectDomain,
        { code_challenge_methods_supported: methods },
      );
    }
    if (methods.includes('plain')) {
      return warn(`${JSON.stringify(methods)}: plain is offered too`, 'Always send S256; never plain (RFC 9700 §2.1.1).', undefined, {
        code_challenge_methods_supported: methods,
      });
    }
    return pass(JSON.stringify(methods), { code_challenge_methods_supported: methods });
  },
};
