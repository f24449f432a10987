import type { Command } from './command.ts';
import { BY_WORDS } from './command-words.ts';
import { dimensionOf, kpiAt, unglue, type QueryEnv } from './parse-kpi-query.ts';
import { ParseError } from './parse-problem.ts';

/** Periods ahead when none are asked for. */
export const DEFAULT_HORIZON = 3;
/** The most periods ahead /kpi forecasts; more is a grain picked by mistake. */
export const MAX_FORECAST_PERIODS = 366;

/** `next`: before the periods ahead. */
const NEXT_WORDS = ['next', '未来', '接下来'];
const UNIT_GRAIN: ReadonlyMap<string, 'day' | 'week' | 'month'> = new Map([
  ['day', 'day'],
  ['days', 'day'],
  ['天', 'day'],
  ['日', 'day'],
  ['week', 'week'],
  ['weeks', 'week'],
  ['周', 'week'],
  ['星期', 'week'],
  ['个星期', 'week'],
  ['month', 'month'],
  ['months', 'month'],
  ['个月', 'month'],
  ['月', 'month'],
]);

/**
 * Reads `forecast <kpi> [by <dimension>] [next <n> <periods>]`, in English or Chinese
 * (`预测 赢单收入 按区域 未来3个月`): the unit of the periods ahead sets the grain.
 * @example parseForecast(['won_revenue', 'next', '6', 'weeks'], env) // { name: 'forecast', kpi: 'won_revenue', horizon: 6, grain: 'week', … }
 */
export function parseForecast(tokens: readonly string[], env: QueryEnv): Command {
  const topic = 'forecast';
  if (tokens[0] === undefined) throw new ParseError({ kind: 'missing', what: 'kpi' }, topic);
  const { kpi, rest } = kpiAt(tokens[0], tokens.slice(1), env.kpis, topic);
  // Chinese glues the count to its words (未来3个月): split digits from letters and characters.
  const words = unglue(rest)
    .flatMap((w) => w.split(/(\d+)/).filter((s) => s !== ''))
    .flatMap((w) => {
      const next = NEXT_WORDS.find((n) => w !== n && w.startsWith(n));
      return next ? [next, w.slice(next.length)] : [w];
    });
  let by: string | undefined;
  let horizon = DEFAULT_HORIZON;
  let grain: 'day' | 'week' | 'month' = 'month';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (BY_WORDS.has(w)) {
      if (words[i + 1] === undefined) throw new ParseError({ kind: 'missing', what: 'dimension' }, topic);
      by = dimensionOf(words[++i]!, kpi, topic);
      continue;
    }
    const count = NEXT_WORDS.includes(w) ? words[++i] : /^\d+$/.test(w) ? w : undefined;
    if (count === undefined) throw new ParseError({ kind: 'unexpected', words: words.slice(i).join(' ') }, topic);
    const n = Number(count);
    const unit = UNIT_GRAIN.get((words[i + 1] ?? '').toLowerCase());
    if (!/^\d+$/.test(count) || n < 1 || n > MAX_FORECAST_PERIODS || unit === undefined) {
      throw new ParseError({ kind: 'unexpected', words: words.slice(Math.max(0, i - 1)).join(' ') }, topic);
    }
    horizon = n;
    grain = unit;
    i++;
  }
  return { name: 'forecast', kpi: kpi.key, by, horizon, grain, asOf: env.now };
}
