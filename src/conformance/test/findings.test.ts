/**
 * No dangling references: every finding id the conformance output cites is defined in docs/faults.md (the
 * "Conformance findings" section is generated from src/conformance/findings.ts), and neither the output's texts
 * (the catalogue, the findings) nor the page cite a document that is not in this repository.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../emulator/index.ts';
import { findingsMarkdown, HYGIENE_RULES, VERDICTS } from '../findings.ts';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/faults.md', import.meta.url)), 'utf8');
/** Notes that exist outside the repository only: output and docs must never send a reader there. */
const OUTSIDE = /SECURITY-CATALOGUE|SECURITY\.md|STYTCH-API\.md|DESIGN\.md|STACK\.md/;

describe('conformance findings', () => {
  it('docs/faults.md holds the findings generated from src/conformance/findings.ts', () => {
    const start = /<!-- findings:start[^>]*-->\n/.exec(DOC);
    expect(start, 'the findings:start marker').not.toBeNull();
    const from = start!.index + start![0].length;
    expect(DOC.slice(from, DOC.indexOf('\n<!-- findings:end -->', from))).toBe(findingsMarkdown());
  });

  it('defines every hygiene id (with an anchor) and every result the output prints', () => {
    for (const rule of HYGIENE_RULES) expect(DOC, rule.id).toContain(`<a id="${rule.id}"></a>`);
    for (const result of Object.keys(VERDICTS)) expect(DOC, result).toContain(`| **${result}** |`);
  });

  it('cites only the repository and primary sources (RFCs, OIDC, Stytch docs, the OIDF suite)', () => {
    expect(DOC).not.toMatch(OUTSIDE);
    for (const entry of catalogue()) expect(`${entry.rp_must} ${entry.description} ${entry.conformance_module}`, entry.name).not.toMatch(OUTSIDE);
    for (const rule of HYGIENE_RULES) expect(`${rule.rpMustDo} ${rule.source}`, rule.id).not.toMatch(OUTSIDE);
  });
});
