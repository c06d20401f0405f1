/**
 * Every rule id, `§` and document a file cites resolves inside the repository: rule ids to a definition in
 * docs/rules.md, documents to a file of the repository, `§` to a primary source named next to it (an RFC,
 * OpenID Connect) or to a numbered section of the document it sits in. The notes the project was built from are
 * not part of it and are never cited.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ALL = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const FILES = ALL.filter((f) => /\.(ts|mjs|js|cjs|md|yml|json)$/.test(f) && f !== 'package-lock.json');
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const RULES = text('docs/rules.md');
const DEFINED = new Set([...RULES.matchAll(/^#### (.+)$/gm)].map((m) => m[1]!.trim()));
const BASENAMES = new Set(FILES.map((f) => basename(f)));

/** `AS-3`, `cat. FE-7`, `RP-12`, `ST-CONSENT`, `ST-GUESS-*` (the whole family). */
const RULE_ID = /(?:\bcat\. )?\b(?:AS|FE|RP)-\d+[a-z]?\b|\bST-[A-Z][A-Z0-9*-]*[A-Z0-9*]/g;
/** A document named by file name: `README.md`, `docs/faults.md`. */
const DOCUMENT = /(?<![\w/.-])((?:[\w.-]+\/)*[A-Za-z][\w-]*\.md)\b/g;
/** What may stand before a `§`: a primary source, a repository document, or another `§` of the same list. */
const SOURCE_BEFORE =
  /(?:RFC ?\d+(?: Appendix)?|OIDC(?: Core| Discovery)?(?: 1\.0)?|OpenID Connect(?: Core| Discovery)?(?: 1\.0)?|Discovery(?: 1\.0)?|[\w./-]+\.md)\s*(?:\(?[\w ]*\)?\s*)?$/;
const SOURCE_WITH_SECTION = /(?:RFC ?\d+|OIDC(?: Core| Discovery)?|OpenID Connect(?: Core| Discovery)?|Discovery|[\w./-]+\.md)(?: 1\.0)? §/;
const CHAINED = /§[\w.]+(?:\s*\([^)]*\))?\s*(?:,|and|or|\/|–|-)\s*$/;

/** Where `pattern` matches: the file, the line, the match, and up to 160 characters before it, comment markers and line breaks folded into spaces. */
function citations(pattern: RegExp): Array<{ file: string; line: number; match: string; before: string }> {
  const found: Array<{ file: string; line: number; match: string; before: string }> = [];
  for (const file of FILES) {
    const content = text(file);
    for (const m of content.matchAll(pattern)) {
      const before = content.slice(Math.max(0, m.index - 160), m.index).replace(/[ \t]*\n[ \t]*(?:\*(?!\*)|\/\/|#+)?[ \t]*/g, ' ');
      found.push({ file, line: content.slice(0, m.index).split('\n').length, match: m[1] ?? m[0], before });
    }
  }
  return found;
}

function ruleDefined(id: string): boolean {
  if (id.endsWith('*')) return [...DEFINED].some((d) => d.startsWith(id.slice(0, -1)));
  return DEFINED.has(id);
}

describe('citations resolve inside the repository', () => {
  it('docs/rules.md defines rules', () => {
    expect(DEFINED.size).toBeGreaterThan(50);
    expect(DEFINED).toContain('AS-1');
    expect(DEFINED).toContain('cat. FE-14');
  });

  it('every cited rule id is defined in docs/rules.md', () => {
    const undefinedIds = citations(RULE_ID).filter((c) => !ruleDefined(c.match));
    expect(undefinedIds.map((c) => `${c.file}:${c.line} ${c.match}`)).toEqual([]);
  });

  it('every cited document is a file of the repository', () => {
    const missing = citations(DOCUMENT).filter((c) => {
      if (c.before.endsWith('](') || /https?:\/\/\S*$/.test(c.before)) return false; // links are checked below; URLs are outside
      return !BASENAMES.has(basename(c.match));
    });
    expect(missing.map((c) => `${c.file}:${c.line} ${c.match}`)).toEqual([]);
  });

  it('every relative Markdown link points at a file of the repository', () => {
    const broken: string[] = [];
    for (const file of FILES.filter((f) => f.endsWith('.md'))) {
      for (const m of text(file).matchAll(/\]\((?!https?:|mailto:|#)([^)#\s]+)[^)]*\)/g)) {
        const target = normalize(join(dirname(file), m[1]!));
        if (!ALL.some((f) => f === target || f.startsWith(`${target}/`))) broken.push(`${file} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every § names its source: a primary source, or a numbered section of the document it is in', () => {
    const unresolved = citations(/§\s?([\d.]+)/g).filter((c) => {
      let before = c.before;
      while (CHAINED.test(before)) before = before.replace(CHAINED, '');
      if (SOURCE_BEFORE.test(before)) return false;
      // The same sentence already named its source with a `§` ("OIDC Core §3.1.3.6 …; §12.2").
      if (SOURCE_WITH_SECTION.test(before.split(/[.!?]\s+(?=[A-Z])/).at(-1) ?? '')) return false;
      // A bare `§n` in a Markdown document refers to its own `## n.` section.
      return !(c.file.endsWith('.md') && new RegExp(`^#+ ${c.match.replace(/\.$/, '')}\\.? `, 'm').test(text(c.file)));
    });
    expect(unresolved.map((c) => `${c.file}:${c.line} ${c.before.slice(-40)}§${c.match}`)).toEqual([]);
  });

  it('nothing cites the notes outside the repository', () => {
    // `../shared/` with a capitalised file: notes beside the repository (src/shared's modules are lower case).
    const outside = FILES.filter((f) => /(?:\.\.\/)+shared\/[A-Z]/.test(text(f)));
    expect(outside).toEqual([]);
  });
});
