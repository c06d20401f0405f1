/**
 * The MCP tools this server offers, each with the scope it needs: one table, read by the bearer middleware
 * (which answers 403 `insufficient_scope` before a tool runs) and by `registerTools` (which registers them
 * on the SDK's `McpServer`).
 *
 * - `whoami`: the caller as the access token describes them; any valid token.
 * - `list_reports`: gated by the custom RBAC scope `read:reports` (a scope of the project's RBAC policy,
 *   granted only when the person's roles carry `reports:read`: https://stytch.com/docs/connected-apps/guides/custom-scopes).
 * - `export_report`: needs `export:reports`, which clients are not asked for at first (see `INITIAL_SCOPES`):
 *   calling it is how a client meets step-up authorization.
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Caller } from './auth/verify-token.ts';

/**
 * The scopes a client is asked for in the 401 challenge (MCP's scope selection, SEP-835: the challenge's
 * `scope` comes first). `offline_access` gets a refresh token. `export:reports` is left out on purpose.
 */
export const INITIAL_SCOPES = ['openid', 'email', 'profile', 'offline_access', 'read:reports'] as const;

/** Every scope a token for this server may carry: the metadata's `scopes_supported`. */
export const SCOPES_SUPPORTED = [...INITIAL_SCOPES, 'export:reports'] as const;

interface Report {
  id: string;
  title: string;
  period: string;
  rows: Array<[string, number]>;
}

/** Sample data: the same for everyone, labelled with the caller's organization in B2B. */
const REPORTS: readonly Report[] = [
  {
    id: 'weekly-active-users',
    title: 'Weekly active users',
    period: '2026-W48',
    rows: [
      ['web', 1240],
      ['ios', 860],
      ['android', 702],
    ],
  },
  {
    id: 'signups-by-source',
    title: 'Sign-ups by source',
    period: '2026-11',
    rows: [
      ['organic', 412],
      ['referral', 133],
      ['ads', 97],
    ],
  },
];

/** The tool table: name → the scope it needs (none: any valid token). */
export const TOOL_SCOPES: Readonly<Record<string, string | undefined>> = {
  whoami: undefined,
  list_reports: 'read:reports',
  export_report: 'export:reports',
};

function callerOf(authInfo: AuthInfo | undefined): Caller {
  const caller = authInfo?.extra?.caller as Caller | undefined;
  // The bearer middleware runs before every MCP request; without it nothing reaches a tool.
  if (!caller) throw new Error('no validated access token on this request');
  return caller;
}

const text = (value: unknown): CallToolResult => ({ content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] });

export function registerTools(server: McpServer): void {
  server.registerTool(
    'whoami',
    { title: 'Who am I', description: 'The signed-in person and what this client may do, as the access token says.' },
    async (extra) => {
      const caller = callerOf(extra.authInfo);
      return text({
        sub: caller.subject,
        ...(caller.organization ? { organization: caller.organization } : {}),
        client_id: extra.authInfo?.clientId,
        scope: extra.authInfo?.scopes.join(' '),
        aud: caller.audience,
        iss: caller.issuer,
        expires_at: extra.authInfo?.expiresAt ? new Date(extra.authInfo.expiresAt * 1000).toISOString() : undefined,
      });
    },
  );

  server.registerTool('list_reports', { title: 'List reports', description: 'The reports you can read. Needs the read:reports scope.' }, async (extra) => {
    const caller = callerOf(extra.authInfo);
    return text({
      ...(caller.organization ? { organization: caller.organization.slug } : {}),
      reports: REPORTS.map(({ id, title, period }) => ({ id, title, period })),
    });
  });

  server.registerTool(
    'export_report',
    {
      title: 'Export a report',
      description: 'One report as CSV. Needs the export:reports scope, which is asked for only when this tool is called.',
      inputSchema: { id: z.string().describe('A report id from list_reports') },
    },
    async ({ id }) => {
      const report = REPORTS.find((r) => r.id === id);
      if (!report) return { isError: true, content: [{ type: 'text', text: `No report "${id}"; list_reports names the ones there are.` }] };
      return text(['segment,value', ...report.rows.map(([k, v]) => `${k},${v}`)].join('\n'));
    },
  );
}
