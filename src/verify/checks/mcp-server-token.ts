/**
 * The MCP server's audience check (RFC 8707, MCP authorization spec "Token Audience Binding and Validation"):
 * the live login asked for the MCP server's resource and for a made-up second one, so its access token is for
 * both and must be accepted; a refresh narrowed to the second resource (RFC 8707 §2.2) gives a token for another
 * resource only, which must be refused, or a token for one MCP server opens every other.
 */
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { describeOidcError } from '../oidc.ts';
import { ANOTHER_RESOURCE, challengeParam, mcpInitialize } from '../mcp.ts';
import { fail, pass, skip } from '../outcome.ts';
import type { Check } from '../types.ts';

const audienceOf = (token: string): unknown => {
  try {
    return decodeJwt(token).aud;
  } catch {
    return '(not a JWT)';
  }
};

export const mcpServerToken: Check = {
  id: 'mcp-server.token',
  title: 'The MCP server accepts a token for its resource and refuses one for another resource',
  required: true,
  needs: ['mcp-server.challenge', 'login.code-exchange'],
  async run(ctx) {
    const { target, facts } = ctx;
    if (!target.mcpServerUrl) return skip('not run: no MCP server given');
    const resource = facts.mcpResource!.resource;
    const token = facts.tokens!.access_token;
    const accepted = await mcpInitialize(ctx, target.mcpServerUrl, token);
    if (accepted.status !== 200) {
      return fail(
        `a token for ${resource} (aud ${JSON.stringify(audienceOf(token))}) → ${accepted.error ?? accepted.status} ${challengeParam(accepted.headers.get('www-authenticate'), 'error_description') ?? ''}`.trim(),
        `Accept access tokens of this project whose aud includes ${resource}: validate them with the Stytch SDK (idp.introspectTokenLocal) and compare aud with the resource, not with the project id alone.`,
        undefined,
        { status: accepted.status },
      );
    }
    const refreshToken = facts.refreshToken ?? facts.tokens!.refresh_token;
    if (!refreshToken) {
      return pass(`a token for ${resource} is accepted; the refusal of another resource's token was not tried (no refresh token: ask for offline_access)`);
    }
    let other: string;
    try {
      const narrowed = await oidc.refreshTokenGrant(facts.oidcConfig!, refreshToken, { resource: ANOTHER_RESOURCE });
      // Public clients rotate: the revocation check revokes the newest.
      facts.refreshToken = narrowed.refresh_token ?? refreshToken;
      other = narrowed.access_token;
    } catch (err) {
      const e = await describeOidcError(err);
      return pass(`a token for ${resource} is accepted; a token for another resource could not be minted (${e.message}), so its refusal was not tried`);
    }
    const refused = await mcpInitialize(ctx, target.mcpServerUrl, other);
    if (refused.status !== 401) {
      return fail(
        `a token for ${ANOTHER_RESOURCE} only (aud ${JSON.stringify(audienceOf(other))}) → ${refused.error ?? refused.status}`,
        `Refuse tokens whose aud does not include ${resource} with 401 invalid_token: otherwise a token obtained by any other MCP server of this project works here too (RFC 8707; MCP authorization spec, "Token Audience Binding and Validation").`,
        undefined,
        { status: refused.status },
      );
    }
    return pass(
      `a token for ${resource} → 200; a token for another resource → 401 ${challengeParam(refused.headers.get('www-authenticate'), 'error') ?? ''}`.trim(),
    );
  },
};
