import type { KpiDefinition } from '../domain/kpi.ts';
import { GRAINS, type Calendar, type Grain, type Period } from '../domain/period.ts';
import { closestMatch } from '../lib/closest-match.ts';
import { CrmPulseError } from '../lib/errors.ts';
import type { CommandName, KpiQuery } from './command.ts';
import { AS_OF_WORDS, BY_WORDS, DIMENSION_WORDS, GLUED_WORDS, kpiKeyOf, splitPrefix } from './command-words.ts';
import { kpiDimensions } from '../kpi/kpi-dimensions.ts';
import { kpiNameMatch, MAX_NAME_WORDS } from './kpi-names.ts';
import { ParseError } from './parse-problem.ts';
import { parsePeriodText } from './parse-period-text.ts';

/** What the parser reads KPI questions against. */
export interface QueryEnv {
  readonly kpis: readonly KpiDefinition[];
  readonly calendar: Calendar;
  readonly now: Date;
}

/** Grain words that ask for the current period of that grain (`win_rate quarter`). */
const GRAIN_WORDS: ReadonlyMap<string, Grain> = new Map<string, Grain>([
  ...GRAINS.map((g) => [g, g] as const),
  ['daily', 'day'],
  ['weekly', 'week'],
  ['monthly', 'month'],
  ['quarterly', 'quarter'],
  ['yearly', 'year'],
  ['annual', 'year'],
  ['日', 'day'],
  ['周', 'week'],
  ['月', 'month'],
  ['月度', 'month'],
  ['季度', 'quarter'],
  ['年', 'year'],
  ['年度', 'year'],
]);

/**
 * Reads `<kpi> [period] [by <dimension>] [as of <date>]` (and the Chinese `按 区域`, `截至 <日期>`,
 * glued or not). The period is read relative to the as-of date.
 */
export function parseKpiQuery(tokens: readonly string[], env: QueryEnv, topic: CommandName): KpiQuery {
  const [first, ...rest] = tokens[0] !== undefined && !namesKpi(tokens[0], env.kpis) ? (periodFirst(tokens, env) ?? tokens) : tokens;
  if (first === undefined) throw new ParseError({ kind: 'missing', what: 'kpi' }, topic);
  const { kpi, rest: after } = kpiAt(first, rest, env.kpis, topic);
  const words = unglue(after);
  let by: string | undefined;
  let asOfWords: string[] | undefined;
  const periodWords: string[] = [];
  const isKeyword = (i: number) => BY_WORDS.has(words[i]!.toLowerCase()) || AS_OF_WORDS.has(words[i]!) || isAsOf(words, i);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (BY_WORDS.has(w.toLowerCase())) {
      by = words[++i];
      if (by === undefined) throw new ParseError({ kind: 'missing', what: 'dimension' }, topic);
    } else if (AS_OF_WORDS.has(w) || isAsOf(words, i)) {
      i += AS_OF_WORDS.has(w) ? 1 : 2;
      asOfWords = [];
      while (i < words.length && !isKeyword(i)) asOfWords.push(words[i++]!);
      i--;
      if (asOfWords.length === 0) throw new ParseError({ kind: 'missing', what: 'date' }, topic);
    } else {
      periodWords.push(w);
    }
  }
  const asOf = asOfWords ? endOf(period(asOfWords.join(' '), env.now, env.calendar, topic)) : env.now;
  const grainWord = periodWords.length === 1 ? GRAIN_WORDS.get(periodWords[0]!.toLowerCase()) : undefined;
  const p = grainWord || periodWords.length === 0 ? undefined : period(periodWords.join(' '), asOf, env.calendar, topic);
  return { kpi: kpi.key, period: p, grain: p?.grain ?? grainWord ?? 'month', by: by === undefined ? undefined : dimensionOf(by, kpi, topic), asOf };
}

/** The longest period a question may open with, in words (`last 3 months`, `2017 年 9 月`). */
const MAX_LEADING_PERIOD_WORDS = 3;

/** The most characters of a period glued before a KPI title (`上月赢单率`). */
const MAX_GLUED_PERIOD = 24;

/**
 * A question that opens with its period (`last month win_rate`, `上周 赢单收入 按 区域`, glued
 * `上月赢单率`) as the `<kpi> [period] …` order reads it: the word after the period first, then the
 * period, then the rest. The longest opening of one to three words that reads as a period wins.
 * That next word need not be a KPI, so that a typo after a period still gets its suggestion.
 * Undefined when the text does not open with a period followed by another word.
 * @example periodFirst(['上周', 'won_revenue', 'by', 'region'], env) // ['won_revenue', '上周', 'by', 'region']
 */
export function periodFirst(tokens: readonly string[], env: QueryEnv): string[] | undefined {
  const isPeriod = (text: string) => isPeriodText(text, env);
  for (let n = Math.min(MAX_LEADING_PERIOD_WORDS, tokens.length - 1); n >= 1; n--) {
    if (isPeriod(tokens.slice(0, n).join(' '))) return [tokens[n]!, ...tokens.slice(0, n), ...tokens.slice(n + 1)];
  }
  // Chinese is typed without spaces: 上月赢单率按区域 is 上月 then the title 赢单率.
  const [first, ...rest] = tokens;
  if (first === undefined) return undefined;
  // A glued period is short (2017年12月31日 is 11 characters): trying every split of a 4,000-character
  // word would cost O(n²) per /kpi text.
  for (let i = 1; i < Math.min(first.length, MAX_GLUED_PERIOD + 1); i++) {
    const tail = first.slice(i);
    if (namesKpi(tail, env.kpis) && isPeriod(first.slice(0, i))) return [tail, first.slice(0, i), ...rest];
  }
  return undefined;
}

/** Whether a text reads as a period (`last month`, `上周`, `2017-Q3`). */
export function isPeriodText(text: string, env: Pick<QueryEnv, 'now' | 'calendar'>): boolean {
  try {
    parsePeriodText(text, env.now, env.calendar);
    return true;
  } catch (error) {
    if (error instanceof CrmPulseError && error.code === 'usage') return false;
    throw error;
  }
}

/** Whether a word names a KPI: its key or Chinese title, or a Chinese title with more glued on (`赢单率上月`). */
export function namesKpi(word: string, kpis: readonly KpiDefinition[]): boolean {
  return (
    kpiKeyOf(word, kpis) !== undefined ||
    splitPrefix(
      word,
      kpis.flatMap((k) => k.title_zh ?? []),
    ) !== undefined
  );
}

/**
 * The `[period] [as of <date>]` of segments, cohorts, scorecard and list, as the instant to read
 * them at: the end of the period if one is given, else the as-of date, else now.
 */
export function parseAsOf(tokens: readonly string[], env: QueryEnv, topic: CommandName): Date {
  const words = unglue(tokens);
  const asOfAt = words.findIndex((w, i) => AS_OF_WORDS.has(w) || isAsOf(words, i));
  const periodWords = asOfAt < 0 ? words : words.slice(0, asOfAt);
  const asOfWords = asOfAt < 0 ? [] : words.slice(asOfAt + (AS_OF_WORDS.has(words[asOfAt]!) ? 1 : 2));
  if (asOfAt >= 0 && asOfWords.length === 0) throw new ParseError({ kind: 'missing', what: 'date' }, topic);
  const asOf = asOfWords.length ? endOf(period(asOfWords.join(' '), env.now, env.calendar, topic)) : env.now;
  return periodWords.length ? endOf(period(periodWords.join(' '), asOf, env.calendar, topic)) : asOf;
}

/** Reads a period, turning its usage error into a parse problem of `topic`. */
export function period(text: string, now: Date, cal: Calendar, topic: CommandName): Period {
  try {
    return parsePeriodText(text, now, cal);
  } catch (error) {
    if (!(error instanceof CrmPulseError) || error.code !== 'usage') throw error;
    const detail = error.message.split('\n')[0]!.replace(/^\[period\] /, '');
    throw new ParseError({ kind: 'bad_period', text, detail: detail.startsWith('unknown period') ? '' : detail }, topic);
  }
}

/** The last instant of a period. */
export function endOf(p: Period): Date {
  return new Date(p.end.getTime() - 1);
}

/** The KPI a word names (splitting `赢单率上月` into the title and the rest), or a problem with a suggestion. */
export function kpiAt(word: string, rest: readonly string[], kpis: readonly KpiDefinition[], topic: CommandName): { kpi: KpiDefinition; rest: string[] } {
  const key = kpiKeyOf(word, kpis);
  if (key) return { kpi: kpis.find((k) => k.key === key)!, rest: [...rest] };
  const split = splitPrefix(
    word,
    kpis.flatMap((k) => k.title_zh ?? []),
  );
  if (split) return { kpi: kpis.find((k) => k.title_zh === split[0])!, rest: [split[1], ...rest] };
  throw unknownKpi(word, kpis, topic);
}

/**
 * The tokens with a KPI name of several words at `at` (`win rate`, `Won revenue`, `customer
 * satisfaction`) replaced by the KPI's key, the longest name first; unchanged when none starts
 * there. A name that fits several KPIs is a problem listing them.
 * @example joinKpiName(['win', 'rate', 'last', 'quarter'], 0, kpis, 'kpi') // ['win_rate', 'last', 'quarter']
 */
export function joinKpiName(tokens: readonly string[], at: number, kpis: readonly KpiDefinition[], topic: CommandName): readonly string[] {
  for (let n = Math.min(MAX_NAME_WORDS, tokens.length - at); n >= 1; n--) {
    const phrase = tokens.slice(at, at + n).join(' ');
    const match = kpiNameMatch(phrase, kpis);
    if (match === undefined) continue;
    if ('candidates' in match) throw new ParseError({ kind: 'ambiguous_kpi', word: phrase, candidates: match.candidates }, topic);
    return [...tokens.slice(0, at), match.key, ...tokens.slice(at + n)];
  }
  return tokens;
}

/** The problem of a word that names no KPI: the candidates when it fits several, else a suggestion. */
function unknownKpi(word: string, kpis: readonly KpiDefinition[], topic: CommandName): ParseError {
  const match = kpiNameMatch(word, kpis);
  if (match && 'candidates' in match) return new ParseError({ kind: 'ambiguous_kpi', word, candidates: match.candidates }, topic);
  return new ParseError({ kind: 'unknown_kpi', word, suggestion: kpiSuggestion(word, kpis) }, topic);
}

/** The KPI a word names exactly: its key or its Chinese title; else a problem with a suggestion. */
export function kpiNamed(word: string, kpis: readonly KpiDefinition[], topic: CommandName): KpiDefinition {
  const key = kpiKeyOf(word, kpis);
  if (key) return kpis.find((k) => k.key === key)!;
  throw unknownKpi(word, kpis, topic);
}

/**
 * The KPI key or Chinese title closest to a mistyped word: the shortest one it begins (a word cut
 * short, `赢单收` → `赢单收入`), else the closest by edit distance.
 */
export function kpiSuggestion(word: string, kpis: readonly KpiDefinition[]): string | undefined {
  const names = kpis.flatMap((k) => (k.title_zh === undefined ? [k.key] : [k.key, k.title_zh]));
  const lower = word.toLowerCase();
  const started = lower.length >= 2 ? names.filter((n) => n.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length)[0] : undefined;
  return started ?? closestMatch(word, names);
}

/** The dimension a word names for a KPI (its name, a Chinese or plural form), or a parse error listing the KPI's dimensions. */
export function dimensionOf(word: string, kpi: KpiDefinition, topic: CommandName): string {
  const d = DIMENSION_WORDS.get(word) ?? DIMENSION_WORDS.get(word.toLowerCase()) ?? word.toLowerCase();
  const known = kpiDimensions(kpi);
  if (known.includes(d)) return d;
  throw new ParseError({ kind: 'bad_dimension', word, kpi: kpi.key, known, suggestion: closestMatch(d, known) }, topic);
}

function isAsOf(words: readonly string[], i: number): boolean {
  return words[i]!.toLowerCase() === 'as' && words[i + 1]?.toLowerCase() === 'of';
}

/** Splits Chinese keywords typed without spaces: `上月按区域` → `上月`, `按`, `区域`. */
/** Tokens with the glued Chinese keywords split off (`按区域` → `按`, `区域`). */
export function unglue(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) out.push(...t.split(new RegExp(`(${GLUED_WORDS.filter((w) => w !== '到').join('|')})`)).filter((s) => s !== ''));
  return out;
}
