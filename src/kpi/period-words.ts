import type { Grain } from '../domain/period.ts';

/** A relative period word's meaning: the period of `grain` holding now, moved `offset` periods (-1: the one before). */
export type RelativePeriod = readonly [grain: Grain, offset: number];

// Each row: one relative period and every way to say it, English first, then Simplified Chinese.
const WORDS: readonly (readonly [Grain, number, readonly string[]])[] = [
  ['day', 0, ['today', '今天']],
  ['day', -1, ['yesterday', '昨天']],
  ['day', -2, ['前天']],
  ['week', 0, ['this week', 'current week', '本周', '这周', '这个星期', '本星期']],
  ['week', -1, ['last week', 'previous week', '上周', '上个星期', '上星期']],
  ['month', 0, ['this month', 'current month', '本月', '这个月', '这月']],
  ['month', -1, ['last month', 'previous month', '上月', '上个月']],
  ['quarter', 0, ['this quarter', 'current quarter', '本季度', '这个季度', '这季度']],
  ['quarter', -1, ['last quarter', 'previous quarter', '上季度', '上个季度']],
  ['year', 0, ['this year', 'current year', '今年', '本年', '本年度']],
  ['year', -1, ['last year', 'previous year', '去年', '上年', '上一年']],
  ['year', -2, ['前年']],
];

/**
 * The one table of relative period words, in lower case: both `parsePeriod` (the config and
 * labels) and the /kpi text parser read it, so a word means the same period everywhere.
 * @example PERIOD_WORDS.get('上个月') // ['month', -1]
 */
export const PERIOD_WORDS: ReadonlyMap<string, RelativePeriod> = new Map(
  WORDS.flatMap(([grain, offset, words]) => words.map((w) => [w, [grain, offset] as const] as const)),
);
