// Every in-repo link of the READMEs leads somewhere: a `#anchor` names a heading of its file (as
// GitHub slugs headings), and a relative path names a file of the repo, and its heading if it has one.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const READMES = ['README.md', 'bench/README.md', 'charts/README.md'];

/** Markdown without its fenced code blocks, where `#` lines are not headings. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens,
 * and a repeated slug numbered (`-1`, `-2`). https://github.com/Flet/github-slugger
 */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, title] of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const text = title!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

/** Every link of a file that stays in the repo: its target path (or the file itself) and its anchor. */
function links(file: string): { target: string; anchor: string | undefined; raw: string }[] {
  const found = [];
  for (const [, href] of prose(readFileSync(file, 'utf8'))
    .replace(/`[^`\n]*`/g, '')
    .matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(href!)) continue;
    const [path, anchor] = href!.split('#') as [string, string | undefined];
    found.push({ target: path ? join(dirname(file), path) : file, anchor, raw: href! });
  }
  return found;
}

describe('README links', () => {
  for (const readme of READMES) {
    it(`every relative link and anchor in ${readme} resolves`, () => {
      const file = join(ROOT, readme);
      const broken = links(file)
        .filter(({ target, anchor }) => !existsSync(target) || (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor)))
        .map(({ raw, target }) => `${raw} (${relative(ROOT, target)})`);
      expect(broken).toEqual([]);
    });
  }

  it('slugs headings as GitHub does, so the check above means what it says', () => {
    const headings = anchors(join(ROOT, 'README.md'));
    // Headings of README.md with code, punctuation and brackets, and their anchors as GitHub shows them.
    expect(headings).toContain('the-crm-pulse-command');
    expect(headings).toContain('kpi-commands');
    expect(headings).toContain('native-charts-in-slack-slackcharts');
    expect(headings).toContain('as-of-to-date-and-data-coverage');
  });
});
