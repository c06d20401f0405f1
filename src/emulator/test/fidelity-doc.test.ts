/**
 * docs/fidelity.md cannot drift from the data it is generated from (fidelity.ts, guesses.ts, errors.ts), and
 * every guess is in the table with its switch.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURS, fidelityMarkdown } from '../fidelity.ts';
import { GUESSES } from '../guesses.ts';

const DOC = fileURLToPath(new URL('../../../docs/fidelity.md', import.meta.url));
const START = /<!-- fidelity:start[^>]*-->\n/;
const END = '\n<!-- fidelity:end -->';

describe('docs/fidelity.md', () => {
  it('holds the tables generated from the data (regenerate: npx tsx src/emulator/fidelity.ts)', () => {
    const text = readFileSync(DOC, 'utf8');
    const start = START.exec(text);
    expect(start, 'the fidelity:start marker').not.toBeNull();
    const from = start!.index + start![0].length;
    expect(text.slice(from, text.indexOf(END, from))).toBe(fidelityMarkdown());
  });

  it.each(Object.keys(GUESSES))('names the switch of the guess %s in a behaviour row', (name) => {
    expect(BEHAVIOURS.some((b) => b.source.kind === 'guess' && b.source.guess === name)).toBe(true);
    expect(fidelityMarkdown()).toContain(`Switch: \`${name}\``);
  });
});
