/**
 * The documentation cannot drift from the code: docs/verify.md names every check and every option, and the
 * GitHub Actions workflow only sets variables verify reads, runs verify, and keeps secrets in secrets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../index.ts';
import { OPTIONS } from '../input.ts';

const doc = (path: string) => readFileSync(fileURLToPath(new URL(`../../../docs/${path}`, import.meta.url)), 'utf8');

describe('docs/verify.md', () => {
  const text = doc('verify.md');
  it.each(CHECKS.map((c) => [c.id, c.required]))('describes %s', (id, required) => {
    const row = text.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    expect(row).toMatch(required ? /^\| `[^`]+` \| yes\*? \|/ : /^\| `[^`]+` \| advisory \|/);
  });
  it.each(OPTIONS.map((o) => [o.flag, o.env]))('documents --%s and %s', (flag, env) => {
    expect(text).toContain(`\`--${flag}`);
    expect(text).toContain(`\`${env}\``);
  });
});

describe('docs/github-actions-verify.yml', () => {
  const workflow = parse(doc('github-actions-verify.yml')) as {
    jobs: { verify: { env: Record<string, string>; steps: Array<{ run?: string }> } };
  };
  const job = workflow.jobs.verify;
  it('sets only variables verify reads', () => {
    const known = new Set(OPTIONS.map((o) => o.env));
    expect(Object.keys(job.env).filter((name) => !known.has(name))).toEqual([]);
  });
  it('takes secrets from repository secrets, never from variables', () => {
    for (const name of ['STYTCH_SECRET', 'OIDC_CLIENT_SECRET', 'VERIFY_USER_PASSWORD']) {
      expect(job.env[name]).toBe(`\${{ secrets.${name} }}`);
    }
  });
  it('runs verify and refuses a Live project', () => {
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx connected-app verify --junit verify-junit.xml');
    expect(runs).toContain('project-test-*) ;;');
  });
});
