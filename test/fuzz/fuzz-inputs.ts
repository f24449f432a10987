// Seeded generators of hostile input for the fuzz and security suites: /kpi texts (grammar-shaped,
// random unicode, injections, impossible dates, very long), and the formula escapes they carry. The
// same seed gives the same cases, so a failure names a case that can be replayed.
import { createRng, type Rng } from '../../src/ingest/demo/create-rng.ts';

export type { Rng };

/** A seeded random stream for a fuzz suite. */
export function fuzzRng(seed: number, stream: string): Rng {
  return createRng(seed, stream);
}

/**
 * Formula escapes: the mathjs sandbox breakouts of its security notes and public reports, as a
 * user might type them into `/kpi` or a config `kpis:` formula.
 */
export const FORMULA_PAYLOADS: readonly string[] = [
  'import({}, {override: true})',
  'import({"evaluate": 1}, {override: true})',
  'evaluate("1+1")',
  'parse("won").compile().evaluate()',
  'compile("1")',
  'simplify("won")',
  'derivative("x^2", "x")',
  'createUnit("leak")',
  'reviver',
  'typed("f", {"number": f(x) = x})',
  'f(x) = x; f(1)',
  'f = 1',
  'constructor',
  'won.constructor',
  'won["constructor"]',
  'cos.constructor("return process")()',
  '[].map.constructor("return this")()',
  '"".constructor.constructor("return process")()',
  '__proto__',
  'won.__proto__',
  'won["__proto__"]["polluted"] = 1',
  '{}.__proto__.x = 1',
  'prototype',
  'Function("return process")()',
  'eval("1")',
  'process.exit(1)',
  'require("child_process").execSync("id")',
  'globalThis',
  'this',
  'chain(won).done()',
  'matrix([1,2]).map(f(x)=x)',
  '[1,2,3].map(f)',
  'config({number: "BigNumber"})',
  'help(evaluate)',
  '5 cm to inch',
  'won ? lost : 1',
  'won == lost',
  'won and lost',
  'won | lost',
  'won << 40',
  'won!',
  "won'",
  '1:1e9',
  'ones(1e9)',
  'zeros(1e8, 1e8)',
  'range(0, 1e12)',
  '"a" + "b"',
  'won; lost',
  'x = won',
  'won.toString()',
  'won[1]',
  'a.b.c',
  'sqrt(-1)',
  'log(0)',
  '9^9^9^9',
  '((((((((((won))))))))))',
  '1e400 * won',
  '\u0000won',
  'won\u202e/lost',
];

/** SQL injection attempts, as a user or a CRM field might carry them. */
export const SQL_PAYLOADS: readonly string[] = [
  "'; DROP TABLE deals;--",
  "won_revenue'; DROP TABLE deals;--",
  '"; DROP TABLE "deals"; --',
  "' OR '1'='1",
  "1' OR 1=1 --",
  '1; DELETE FROM owners',
  "region' UNION SELECT name FROM sqlite_master --",
  "') ; UPDATE deals SET amount = 0; --",
  'won_revenue by region); DROP TABLE owners; --',
  "2024-03' OR '1'='1",
  '`; VACUUM; --',
  '$$; DROP TABLE deals; $$',
  "\\'; DROP TABLE deals;--",
  'pg_sleep(10)',
  '1 AND (SELECT COUNT(*) FROM deals) > 0',
];

/** Dates and periods no calendar has, or that are only almost dates. */
export const IMPOSSIBLE_PERIODS: readonly string[] = [
  '2017-02-30',
  '2023-02-29',
  '2024-13',
  '2024-00',
  '2024-04-31',
  '0000-00-00',
  '99999-01',
  'year 99999',
  '99999',
  '-2024',
  '2024-Q5',
  'Q0 2024',
  '2024-W60',
  '2024-W00',
  'week 99 2024',
  '2024年13月',
  '2024年2月30日',
  '十三月',
  'as of yesterday-ish',
  'as of',
  'as of 2017-02-30',
  'as of never',
  'as of 1e309',
  '截至 明天左右',
  'since forever',
  'last millennium',
  'next month',
  'tomorrow',
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '2024/13/45',
  '2024.02.30',
  'FY99999',
  'FY-1',
  'jan 99999',
  'febtember 2024',
  '2024-03-01T25:61:00Z',
  '9999-12-31',
  '0001-01-01',
];

/** Periods that exist, so that some texts get real answers. */
export const GOOD_PERIODS: readonly string[] = [
  '2024-03',
  '2024-06',
  'last month',
  'this month',
  'last quarter',
  '2024-Q1',
  '2024',
  'march 2024',
  '2024年3月',
  '上月',
  '本月',
  'as of 2024-05-01',
  '截至 2024-05-01',
  'last week',
  '2024-W10',
  '2024-03-15',
];

/** Dimensions: real ones, Chinese ones, and ones no KPI has. */
export const DIMENSIONS: readonly string[] = [
  'by region',
  'by owner',
  '按 区域',
  '按区域',
  'by 负责人',
  'by product',
  'by nonsense',
  'by',
  'by __proto__',
  'by constructor',
  "by region'; DROP TABLE deals;--",
  'by region by owner',
  'by 🙂',
  'by \u0000',
];

/** Words that are almost KPIs, or KPIs of no CRM. */
export const BAD_KPIS: readonly string[] = [
  'won_revenu',
  'wonrevenue',
  'win_rat',
  'WIN_RATE',
  'wins',
  'revenue',
  'kpi',
  'csat2',
  '赢单',
  '赢单收入率',
  'nps?',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  'valueOf',
  '🙂',
  '\u0000',
  'null',
  'undefined',
];

/** Code points a terminal, a database or a regex may choke on. */
const NASTY_CHARS: readonly string[] = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u200d',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u202d',
  '\u061c',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\ude00',
  '😀',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'ﷺ',
  '؀',
  'ע',
  'ب',
  'שָׁלוֹם',
  'مرحبا',
  '中',
  '文',
  '𠜎',
  'é',
  'é',
  'ﬀ',
  'Ⅸ',
  '①',
  'ｋｐｉ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '`',
  '*',
  '_',
  '~',
  '<',
  '>',
  '&',
  '<!channel>',
  '<@U0ADMIN>',
  '<#C0ALERTS|alerts>',
  '%s',
  '%n',
  '${process.env}',
  '{{7*7}}',
  '\\',
  '"',
  "'",
  '/',
  '/kpi',
];

/** One random code point, anywhere in the planes (surrogates included, alone). */
function randomCodePoint(rng: Rng): string {
  const range = rng.pick([
    [0x00, 0x7f],
    [0x80, 0x7ff],
    [0x0590, 0x06ff],
    [0x4e00, 0x9fff],
    [0xd800, 0xdfff],
    [0xe000, 0xffff],
    [0x1f300, 0x1faff],
    [0x10000, 0x10ffff],
  ] as const);
  const cp = rng.int(range[0], range[1]);
  return cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
}

/** A random string of `n` units: random code points mixed with the nasty ones. */
export function randomText(rng: Rng, n: number): string {
  let s = '';
  while (s.length < n) s += rng.chance(0.3) ? rng.pick(NASTY_CHARS) : rng.chance(0.15) ? ' ' : randomCodePoint(rng);
  return s;
}

/** Replaces, deletes, duplicates or inserts a few characters of `text`. */
export function mutateText(rng: Rng, text: string): string {
  const chars = [...text];
  const edits = rng.int(1, 4);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(0, chars.length);
    switch (rng.int(0, 3)) {
      case 0:
        chars.splice(at, 1);
        break;
      case 1:
        chars.splice(at, 0, rng.pick(NASTY_CHARS));
        break;
      case 2:
        chars.splice(at, 1, randomCodePoint(rng));
        break;
      default:
        chars.splice(at, 0, ...chars.slice(at, at + rng.int(1, 8)));
    }
  }
  return chars.join('');
}

/** A /kpi text shaped like the grammar, with good and bad parts mixed. */
export function grammarText(rng: Rng, words: { commands: readonly string[]; kpis: readonly string[] }): string {
  const kpi = rng.chance(0.6) ? rng.pick(words.kpis) : rng.pick(BAD_KPIS);
  const parts: string[] = [];
  const name = rng.pick(['', '', ...words.commands]);
  if (name) parts.push(name);
  switch (rng.int(0, 5)) {
    case 0:
      parts.push(kpi);
      break;
    case 1:
      parts.push(kpi, rng.pick(rng.chance(0.5) ? GOOD_PERIODS : IMPOSSIBLE_PERIODS));
      break;
    case 2:
      parts.push(kpi, rng.pick(GOOD_PERIODS), rng.pick(DIMENSIONS));
      break;
    case 3:
      // the mutating commands' arguments: durations, values, deadlines, channels
      parts.push(
        rng.pick(['#12', '12', '#0', '#999999999', kpi]),
        rng.pick(['4h', '4 hours', '-1h', '1e9d', '0s', '4小时', 'forever', '90%', '1,000,000', '1e308', '-0', '万', '100亿']),
      );
      if (rng.chance(0.5)) parts.push(rng.pick(['by', '到', 'before']), rng.pick([...GOOD_PERIODS, ...IMPOSSIBLE_PERIODS, '2030-01-01']));
      break;
    case 4:
      parts.push(rng.pick(['<#C0ALERTS|alerts>', '#crm-alerts', 'C0ALERTS', '#', '<#C0|x>', '#频道']), `${kpi},${rng.pick(words.kpis)}、${rng.pick(BAD_KPIS)}`);
      break;
    default:
      parts.push(rng.pick([...FORMULA_PAYLOADS, ...SQL_PAYLOADS]));
  }
  if (rng.chance(0.15)) parts.push(rng.pick(['post', '发布', 'POST']));
  return parts.join(rng.chance(0.9) ? ' ' : rng.pick(['  ', '\t', '\u3000', '\n', '']));
}

/** Fixed adversarial texts every run includes, besides the generated ones. */
export function adversarialTexts(kpis: readonly string[]): string[] {
  const kpi = kpis[0] ?? 'won_revenue';
  return [
    '',
    ' ',
    '/kpi',
    '/kpi ',
    '/KPI help',
    '\u0000',
    '\ud800',
    '\udc00\ud800',
    '😀'.repeat(2000),
    'a'.repeat(100_000),
    `${kpi} ${'by region '.repeat(10_000)}`,
    `why ${kpi} ${'2024-03 '.repeat(12_000)}`,
    ' '.repeat(100_000),
    '\n'.repeat(100_000),
    '为什么'.repeat(40_000),
    `${kpi} ${'\u202e'.repeat(50_000)}`,
    '\ud83d'.repeat(100_000),
    `help ${'x'.repeat(99_990)}`,
    ...FORMULA_PAYLOADS,
    ...FORMULA_PAYLOADS.map((p) => `${kpi} ${p}`),
    ...FORMULA_PAYLOADS.map((p) => `why ${p} last month`),
    ...SQL_PAYLOADS,
    ...SQL_PAYLOADS.map((p) => `${kpi} ${p}`),
    ...SQL_PAYLOADS.map((p) => `target ${kpi} ${p}`),
    ...IMPOSSIBLE_PERIODS.map((p) => `${kpi} ${p}`),
    ...IMPOSSIBLE_PERIODS.map((p) => `target ${kpi} 100 by ${p}`),
    ...BAD_KPIS,
    ...BAD_KPIS.map((k) => `why ${k} 2024-03 by region`),
    ...DIMENSIONS.map((d) => `${kpi} 2024-03 ${d}`),
    '为什么 赢单收入 last month by 区域',
    'why 赢单收入 上月 按 owner',
    '赢单收入2024年3月按区域',
    'chart win_rate 本月 post',
    '目标 赢单收入 100万 到 2030年1月1日',
    'silence 赢单收入 4小时 because 测试',
    'subscribe #crm-alerts 赢单收入、win_rate',
  ];
}
