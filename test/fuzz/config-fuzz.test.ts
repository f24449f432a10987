// The bundled crm-pulse.example.yaml, mutated many seeded ways (lines deleted and duplicated,
// indentation changed, values of the wrong type, random bytes, truncation, alias bombs), loaded
// through loadConfig and, for some, through the CLI's error printer. A mutation either still loads
// or fails with a CrmPulseError naming the file and a line, never a stack trace or another error.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/run-cli.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../src/config/load-config.ts';
import { CrmPulseError } from '../../src/lib/errors.ts';
import { tempFiles } from '../helpers/import.ts';
import { fuzzRng, randomText, type Rng } from './fuzz-inputs.ts';

const SEED = 7_331;
const MUTATIONS = 600;
const EXAMPLE = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
const STACK = /\n\s*at\s|\.(?:ts|js|mjs|cjs):\d+|node:internal/;

/** Values of every type, to put where the schema expects another. */
const WRONG_VALUES = [
  '[]',
  '{}',
  '[1, 2]',
  '{ a: 1 }',
  '~',
  'null',
  'true',
  'no',
  '0',
  '-1',
  '1e999',
  '.nan',
  '0x1F',
  "''",
  '"\\u0000"',
  '2017-02-30',
  '!!binary aGk=',
  '&a x',
  '*nope',
  '|',
  '>-',
  '"unterminated',
  "'it''s'",
  '{ from: }',
  '- 1',
  '99999999999999999999999',
];

/** One seeded mutation of the example config, and its name for failure messages. */
function mutate(rng: Rng, text: string): { kind: string; text: string } {
  const lines = text.split('\n');
  const at = () => rng.int(0, lines.length - 1);
  const kind = rng.pick(['delete', 'duplicate', 'indent', 'swap_type', 'bytes', 'truncate', 'swap_lines', 'many']);
  switch (kind) {
    case 'delete':
      lines.splice(at(), rng.int(1, 5));
      break;
    case 'duplicate': {
      const i = at();
      lines.splice(i, 0, ...lines.slice(i, i + rng.int(1, 6)));
      break;
    }
    case 'indent': {
      const i = at();
      lines[i] = rng.chance(0.5) ? `${' '.repeat(rng.int(1, 5))}${lines[i]}` : lines[i]!.replace(/^ {1,4}/, rng.pick(['', '\t', ' ']));
      break;
    }
    case 'swap_type': {
      // a `key: value` line gets a value of another type
      const candidates = lines.flatMap((l, i) => (/^\s*-?\s*[\w-]+:\s*\S/.test(l) && !l.trim().startsWith('#') ? [i] : []));
      if (candidates.length === 0) {
        lines.push(`timezone: ${rng.pick(WRONG_VALUES)}`);
        break;
      }
      const i = rng.pick(candidates);
      lines[i] = lines[i]!.replace(/:\s*\S.*$/, `: ${rng.pick(WRONG_VALUES)}`);
      break;
    }
    case 'bytes': {
      const i = at();
      const cut = rng.int(0, lines[i]!.length);
      lines[i] = `${lines[i]!.slice(0, cut)}${randomText(rng, rng.int(1, 12))}${lines[i]!.slice(cut)}`;
      break;
    }
    case 'truncate':
      return { kind, text: text.slice(0, rng.int(0, text.length)) };
    case 'swap_lines': {
      const i = at();
      const j = at();
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      break;
    }
    default:
      return { kind, text: [0, 1, 2].reduce((t) => mutate(rng, t).text, text) };
  }
  return { kind, text: lines.join('\n') };
}

/** What is wrong with an error thrown for `file`, or undefined when it is a precise config error. */
function imprecise(error: unknown, file: string): string | undefined {
  if (!(error instanceof CrmPulseError)) return `threw ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
  if (error.code !== 'config') return `code ${error.code}`;
  if (STACK.test(error.message)) return 'holds a stack trace';
  const problems = error.message.split('\n').filter((l) => !l.startsWith('  fix: '));
  const bad = problems.find((l) => !l.startsWith(`[config] ${file}:`) || !/^\[config\] .+:\d+: \S/.test(l));
  return bad === undefined ? undefined : `a line without file and line number: ${bad.slice(0, 200)}`;
}

describe('config fuzz', () => {
  const dir = tempFiles({});
  const cases = (() => {
    const rng = fuzzRng(SEED, 'config-fuzz');
    const out = Array.from({ length: MUTATIONS }, () => mutate(rng, EXAMPLE));
    // An alias bomb ("billion laughs") and a deep nesting, which a YAML reader must refuse rather than expand.
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
      'timezone: UTC',
    ].join('\n');
    out.push(
      { kind: 'alias_bomb', text: bomb },
      { kind: 'deep', text: `timezone: ${'['.repeat(5_000)}${']'.repeat(5_000)}` },
      { kind: 'empty', text: '' },
      { kind: 'nul', text: '\u0000' },
      { kind: 'bom', text: `\ufeff${EXAMPLE}` },
    );
    return out;
  })();

  it(`${MUTATIONS}+ mutations of the example: each loads, or fails naming the file and line, never with a stack`, () => {
    const failures: string[] = [];
    const kinds: Record<string, { ok: number; refused: number }> = {};
    for (const [i, c] of cases.entries()) {
      const file = join(dir, `mutation-${i}.yaml`);
      writeFileSync(file, c.text);
      const k = (kinds[c.kind] ??= { ok: 0, refused: 0 });
      try {
        loadConfig(file, { explicit: true });
        k.ok++;
      } catch (error) {
        k.refused++;
        const why = imprecise(error, file);
        if (why) failures.push(`#${i} (${c.kind}): ${why}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // Most mutations break the config, and every kind of mutation is tried.
    const refused = Object.values(kinds).reduce((s, k) => s + k.refused, 0);
    expect(refused).toBeGreaterThan(cases.length / 3);
    expect(Object.keys(kinds).sort()).toEqual([
      'alias_bomb',
      'bom',
      'bytes',
      'deep',
      'delete',
      'duplicate',
      'empty',
      'indent',
      'many',
      'nul',
      'swap_lines',
      'swap_type',
      'truncate',
    ]);
    expect(kinds.swap_type!.refused).toBeGreaterThan(kinds.swap_type!.ok);
  });

  it('the CLI prints such failures as the config errors alone, with exit code 2', async () => {
    const failing = cases.flatMap((c, i) => {
      try {
        loadConfig(join(dir, `mutation-${i}.yaml`), { explicit: true });
        return [];
      } catch {
        return [i];
      }
    });
    const picked = failing.filter((_, n) => n % Math.ceil(failing.length / 12) === 0);
    expect(picked.length).toBeGreaterThanOrEqual(10);
    for (const i of picked) {
      const file = join(dir, `mutation-${i}.yaml`);
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (chunk) => (err += chunk));
      const io = { env: { LOG_LEVEL: 'silent' }, stdout, stderr, stdin: new PassThrough() } as unknown as CliIo;
      expect(await runCli(['config', 'check', '-c', file], io), file).toBe(2);
      expect(err).not.toMatch(STACK);
      expect(err).not.toContain('unexpected error');
      for (const line of err.trimEnd().split('\n'))
        expect(line, `mutation ${i}`).toMatch(new RegExp(`^(\\[config\\] ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: \\S|  fix: )`));
    }
  });
});

describe('YAML aliases the fuzz found crashing the loader with a plain ReferenceError', () => {
  const load = (text: string) => {
    const file = join(tempFiles({ 'crm-pulse.yaml': text }), 'crm-pulse.yaml');
    try {
      loadConfig(file, { explicit: true });
    } catch (error) {
      expect(error).toBeInstanceOf(CrmPulseError);
      return (error as Error).message.replace(file, 'crm-pulse.yaml');
    }
    throw new Error('loaded');
  };
  const fix = '\n  fix: define each anchor (&name) before its aliases (*name), and do not nest aliases to multiply data';

  it('an alias without its anchor names the alias and its line', () => {
    expect(load('timezone: UTC\nfiscal_year_start_month: *month\n')).toBe(`[config] crm-pulse.yaml:2: alias *month has no anchor &month before it${fix}`);
  });

  it('an alias bomb is refused at its first alias, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(load(bomb)).toBe(`[config] crm-pulse.yaml:2: too many aliases (Excessive alias count indicates a resource exhaustion attack)${fix}`);
  });
});
