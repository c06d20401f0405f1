/**
 * `npx connected-app mcp-client` against the demo stack with its mcp-server, driven headless: the Authorization
 * URL it prints is followed by a browser without a screen (login form, consent form), as a person would.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_PARTS, startStack, type Stack } from '../../stack.ts';
import { Browser } from '../../../test/support/browser.ts';
import { runMcpClient } from '../cli.ts';

let stack: Stack;
const stateDir = mkdtempSync(join(tmpdir(), 'mcp-client-'));

beforeAll(async () => {
  stack = await startStack({ ports: { emulator: 0, authServer: 0, clientApp: 0, mcpServer: 0 }, parts: STACK_PARTS, logLevel: 'silent' });
});

afterAll(async () => {
  await stack?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** Runs the command (keeping nothing unless told where); `consent` is what the person answers at the Authorization URL. */
async function mcpClient(argv: string[], consent: 'allow' | 'deny' = 'allow') {
  if (!argv.includes('--state-dir')) argv = [...argv, '--no-store'];
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMcpClient(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    openAuthorizationUrl: async (url) => {
      const browser = new Browser();
      const login = await browser.navigate(url.href);
      const consentPage = await browser.submit(login, { email: stack.demo!.email, password: stack.demo!.password }, { action: /^\/login$/ });
      await browser.submit(consentPage, {}, { action: /\/oauth\/authorize\/submit$/, button: { decision: consent } });
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npx connected-app mcp-client', () => {
  it('registers itself, prints the Authorization URL, signs in on a loopback callback, lists the tools and calls one', async () => {
    const run = await mcpClient([stack.urls.mcpServer!, '--tool', 'list_reports']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Sign in: open this URL in your browser \(the answer comes back to http:\/\/127\.0\.0\.1:\d+\/callback\)/);
    expect(run.out).toContain(`${stack.urls.authorizationUrl}?`);
    expect(run.out).toMatch(/Signed in · client connected-app-test-\S+ \(registered by DCR\)/);
    expect(run.out).toMatch(/whoami\s+The signed-in person/);
    expect(run.out).toContain('weekly-active-users');
  });

  it('keeps its registration and tokens between runs (a private file): the second run signs in no more', async () => {
    const first = await mcpClient([stack.urls.mcpServer!, '--state-dir', stateDir]);
    expect(first.code).toBe(0);
    const [file] = readdirSync(stateDir);
    expect(statSync(join(stateDir, file!)).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);

    const second = await mcpClient([stack.urls.mcpServer!, '--state-dir', stateDir, '--tool', 'list_reports']);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain('Sign in:');
    expect(second.out).toContain('kept from an earlier run');
    expect(second.out).toContain('weekly-active-users');

    const forgotten = await mcpClient([stack.urls.mcpServer!, '--state-dir', stateDir, '--forget']);
    expect(forgotten.out).toContain('Sign in:');
  });

  // One row per way of failing; each says what to do.
  const failures: Array<{ rule: string; argv: () => string[]; consent?: 'deny'; code: number; says: RegExp }> = [
    { rule: 'the person denies consent', argv: () => [stack.urls.mcpServer!], consent: 'deny', code: 1, says: /refused at the consent page \(access_denied\)/ },
    { rule: 'nothing answers at the URL', argv: () => ['http://127.0.0.1:9/mcp'], code: 1, says: /nothing answers at http:\/\/127\.0\.0\.1:9/ },
    { rule: 'no URL', argv: () => [], code: 2, says: /Give exactly one MCP server URL/ },
    {
      rule: 'arguments that are not a JSON object',
      argv: () => [stack.urls.mcpServer!, '--arguments', '[1]'],
      code: 2,
      says: /--arguments must be a JSON object/,
    },
  ];
  for (const row of failures) {
    it(`fails clearly when ${row.rule}`, async () => {
      const run = await mcpClient(row.argv(), row.consent);
      expect(run.code).toBe(row.code);
      expect(run.err).toMatch(row.says);
    });
  }
});
