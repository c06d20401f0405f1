/**
 * The fault catalogue as people read it cannot drift from the scenario data: docs/faults.md holds exactly the
 * table `--list-scenarios --markdown` prints, and `npx connected-app emulator --list-scenarios` lists every
 * scenario with its expected outcome (table, JSON, Markdown).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../cli.ts';
import { catalogueMarkdown } from '../../faults/catalogue.ts';
import { SCENARIOS } from '../../faults/index.ts';

const DOC = fileURLToPath(new URL('../../../../docs/faults.md', import.meta.url));
const START = /<!-- catalogue:start[^>]*-->\n/;
const END = '\n<!-- catalogue:end -->';

async function list(...flags: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await emulatorCommand(['--list-scenarios', ...flags], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: {},
  });
  return { code, out, err };
}

describe('docs/faults.md', () => {
  it('holds the catalogue generated from the scenario data (regenerate: npx connected-app emulator --list-scenarios --markdown)', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = START.exec(text);
    expect(start, 'the catalogue:start marker').not.toBeNull();
    const from = start!.index + start![0].length;
    const table = text.slice(from, text.indexOf(END, from));
    expect(table).toBe(catalogueMarkdown());
  });
});

describe('npx connected-app emulator --list-scenarios', () => {
  it('prints a table with every scenario and what the relying party must do', async () => {
    const { code, out } = await list();
    expect(code).toBe(0);
    for (const s of SCENARIOS) expect(out).toMatch(new RegExp(`^${s.name} +${s.expected.outcome} `, 'm'));
  });

  it('prints the catalogue as JSON with --json', async () => {
    const { code, out } = await list('--json');
    expect(code).toBe(0);
    const body = JSON.parse(out) as { scenarios: Array<{ name: string; expected: unknown; origin: string }> };
    expect(body.scenarios.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
    expect(body.scenarios[0]).toMatchObject({ expected: SCENARIOS[0].expected, origin: SCENARIOS[0].origin });
  });

  it('prints the docs table with --markdown, and refuses other flags', async () => {
    expect((await list('--markdown')).out).toBe(`${catalogueMarkdown()}\n`);
    const bad = await list('--port', '9010');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--list-scenarios takes only --json or --markdown');
  });
});
