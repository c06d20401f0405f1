/**
 * Dynamic Client Registration (RFC 7591) lets any MCP client register itself as a third-party app, with no
 * authentication. Teams turn it on for MCP and should otherwise leave it off; this says which it is and compares
 * it with what was expected (VERIFY_EXPECT_DCR). It reads `registration_endpoint` (after mcp.metadata) and registers nothing.
 */
import { DASHBOARD } from '../dashboard.ts';
import { fail, pass } from '../outcome.ts';
import type { Check } from '../types.ts';

export const mcpDcr: Check = {
  id: 'mcp.dcr',
  title: 'Dynamic client registration is on or off, as expected',
  required: true,
  needs: ['discovery.reachable'],
  async run({ target, facts }) {
    // Stytch lists it in the RFC 8414 document once DCR is on (ST-DISCOVERY); either document counts.
    const endpoint = facts.discovery!.document.registration_endpoint ?? facts.asMetadata?.registration_endpoint;
    const enabled = typeof endpoint === 'string' && endpoint !== '';
    const details = { enabled, registration_endpoint: enabled ? endpoint : null, expected: target.expectDcr ?? null };
    if (target.expectDcr === true && !enabled) {
      return fail(
        'dynamic client registration is off (no registration_endpoint), but it is expected on',
        'Turn on Dynamic Client Registration, so that MCP clients can register themselves.',
        DASHBOARD.dcr,
        details,
      );
    }
    if (target.expectDcr === false && enabled) {
      return fail(
        `dynamic client registration is on (${String(endpoint)}), but it is expected off`,
        'Turn off Dynamic Client Registration: while it is on, anyone can register a third-party app in this project.',
        DASHBOARD.dcr,
        details,
      );
    }
    const state = enabled ? `on (${String(endpoint)})` : 'off';
    return pass(target.expectDcr === undefined ? `${state}; set VERIFY_EXPECT_DCR to enforce it` : `${state}, as expected`, details);
  },
};
