import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';

/** The words charts add themselves (titles come from callers). */
export interface ChartLabels {
  readonly noData: (subject: string, period: string) => string;
  readonly thisPeriod: string;
  readonly previous: string;
  readonly lastYear: string;
  readonly target: string;
  readonly threshold: string;
  readonly band: string;
  /** a native chart's series names for the normal band's two edges (at most 20 characters) */
  readonly bandLow: string;
  readonly bandHigh: string;
  readonly firing: string;
  readonly latest: string;
  readonly vs: string;
  readonly noValue: string;
  readonly other: (n: number) => string;
  readonly topOf: (shown: number, total: number) => string;
  readonly withoutValue: (n: number, what: string) => string;
  readonly anomaly: string;
  readonly periodsWithoutValue: (n: number) => string;
  /** before a change: how this period differs from the bar's value */
  readonly now: string;
  readonly customers: string;
  readonly month: (k: number) => string;
  readonly cohort: string;
  readonly score: string;
  /** why there is nothing to draw */
  readonly noPeriods: string;
  readonly noItems: (what: string) => string;
  readonly by: (dimension: string) => string;
  readonly noValueFor: (period: string) => string;
  readonly periods: string;
  readonly kpi: string;
  readonly noTarget: string;
  readonly composite: string;
  /** the scorecard's key: what the shaded bands, the bar colours and the mark mean */
  readonly scorecardKey: readonly string[];
  readonly cohortLower: string;
  readonly noRepeatMonth: string;
  readonly retentionExplained: string;
  readonly latestCohorts: (shown: number, total: number) => string;
  readonly noCustomers: string;
  readonly customersLower: string;
  readonly noneHasValue: (n: number, what: string) => string;
  /** the legend note of a to-date period: its label carries a * */
  readonly toDateNote: (period: string, day: string) => string;
  /** a sample size beside a value: "n=1,234" */
  readonly sampleSize: (n: string) => string;
  /** the legend of pale bars: values under the minimum sample */
  readonly lowSample: string;
  /** a breakdown ranked by sample size rather than by value */
  readonly rankedByN: string;
  /** after a sample size under the minimum */
  readonly lowSampleShort: string;
  /** the forecast chart's legend: the history, the forecast by its method, an interval, and the horizon */
  readonly forecastLegend: { readonly actual: string; forecast(method: string): string; interval(percent: number): string; next(n: number): string };
}

/**
 * The words of charts, each in every locale side by side. They stay with the charts, beside the answers' catalog
 * (src/answers/), because charts may import only domain/ and lib/ (DESIGN.md).
 */
const CATALOG: Catalog<ChartLabels> = {
  noData: { en: (subject, period) => `No data for ${subject} in ${period}`, zh: (subject, period) => `${subject}在${period}没有数据` },
  thisPeriod: { en: 'This period', zh: '本期' },
  previous: { en: 'Previous period', zh: '上期' },
  lastYear: { en: 'Same period last year', zh: '去年同期' },
  target: { en: 'Target', zh: '目标' },
  threshold: { en: 'Threshold', zh: '阈值' },
  band: { en: 'Normal range', zh: '正常范围' },
  bandLow: { en: 'Normal range, low', zh: '正常范围下限' },
  bandHigh: { en: 'Normal range, high', zh: '正常范围上限' },
  firing: { en: 'Alert firing', zh: '告警中' },
  latest: { en: 'Latest', zh: '最新' },
  vs: { en: 'vs', zh: '对比' },
  noValue: { en: 'no value', zh: '无数值' },
  other: { en: (n) => `Other (${n})`, zh: (n) => `其他（${n}）` },
  topOf: { en: (shown, total) => `top ${shown} of ${total}`, zh: (shown, total) => `前 ${shown} / 共 ${total}` },
  withoutValue: { en: (n) => `${n} with no value`, zh: (n, what) => `${n} 个${what}无数值` },
  anomaly: { en: 'Anomaly', zh: '异常' },
  periodsWithoutValue: { en: (n) => `${n} period${n === 1 ? '' : 's'} with no value`, zh: (n) => `${n} 个期间无数值` },
  now: { en: 'now', zh: '本期' },
  customers: { en: 'Customers', zh: '客户数' },
  month: { en: (k) => `M${k}`, zh: (k) => `第${k}月` },
  cohort: { en: 'Cohort', zh: '同期群' },
  score: { en: 'Score', zh: '得分' },
  noPeriods: { en: 'no periods to show', zh: '没有可显示的期间' },
  noItems: { en: (what) => `no ${what} to show`, zh: (what) => `没有可显示的${what}` },
  by: { en: (dimension) => `by ${dimension}`, zh: (dimension) => `按${dimension}` },
  noValueFor: { en: (period) => `${period} has no value`, zh: (period) => `${period}没有数值` },
  periods: { en: 'period', zh: '期间' },
  kpi: { en: 'KPI', zh: '指标' },
  noTarget: { en: 'no target', zh: '无目标' },
  composite: { en: 'composite', zh: '综合得分' },
  scorecardKey: {
    en: ['Grey bands: poor (below 60), fair (60–90), good (90–100)', 'Bar: red when weak (below 60), green when the target is met · mark: the target'],
    zh: ['灰色底带：差（60 以下）、中（60–90）、好（90–100）', '条：低于 60 为红色（偏弱），达成目标为绿色 · 竖线：目标'],
  },
  cohortLower: { en: 'cohort', zh: '同期群' },
  noRepeatMonth: { en: 'no cohort has a month after its first yet', zh: '还没有同期群进入首购后的月份' },
  retentionExplained: { en: 'share of each cohort buying again n months after its first purchase', zh: '各同期群在首次购买后第 n 个月再次购买的比例' },
  latestCohorts: { en: (shown, total) => `latest ${shown} of ${total} cohorts`, zh: (shown, total) => `最近 ${shown} / 共 ${total} 个同期群` },
  noCustomers: { en: 'no customer is in any segment', zh: '没有客户属于任何分群' },
  customersLower: { en: 'customers', zh: '位客户' },
  noneHasValue: { en: (n, what) => `no ${what} has a value (${n} given)`, zh: (n, what) => `${n} 个${what}都没有数值` },
  toDateNote: { en: (period, day) => `${period}*: to date, through ${day}`, zh: (period, day) => `${period}*：截至 ${day}，本期尚未结束` },
  sampleSize: { en: (n) => `n=${n}`, zh: (n) => `n=${n}` },
  lowSample: { en: 'pale: small sample, low confidence', zh: '浅色：样本少，置信度低' },
  rankedByN: { en: 'largest n first', zh: '按样本量从大到小' },
  lowSampleShort: { en: 'low confidence', zh: '置信度低' },
  forecastLegend: {
    en: { actual: 'Actual', forecast: (method) => `Forecast (${method})`, interval: (p) => `${p}% interval`, next: (n) => `next ${n}` },
    zh: { actual: '实际', forecast: (method) => `预测（${method}）`, interval: (p) => `${p}% 区间`, next: (n) => `未来 ${n} 期` },
  },
};

const BY_LOCALE = byLocale(CATALOG);

/** The chart words in a locale (English by default). */
export function chartLabels(locale: Locale | undefined): ChartLabels {
  return BY_LOCALE[locale ?? 'en'];
}
