import type { ChartLang } from './chart-base.ts';

/** The words charts add themselves, per language. */
export interface ChartLabels {
  readonly noData: (subject: string, period: string) => string;
  readonly thisPeriod: string;
  readonly previous: string;
  readonly lastYear: string;
  readonly target: string;
  readonly threshold: string;
  readonly band: string;
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
}

const EN: ChartLabels = {
  noData: (subject, period) => `No data for ${subject} in ${period}`,
  thisPeriod: 'This period',
  previous: 'Previous period',
  lastYear: 'Same period last year',
  target: 'Target',
  threshold: 'Threshold',
  band: 'Normal range',
  firing: 'Alert firing',
  latest: 'Latest',
  vs: 'vs',
  noValue: 'no value',
  other: (n) => `Other (${n})`,
  topOf: (shown, total) => `top ${shown} of ${total}`,
  withoutValue: (n) => `${n} with no value`,
  anomaly: 'Anomaly',
  periodsWithoutValue: (n) => `${n} period${n === 1 ? '' : 's'} with no value`,
  now: 'now',
  customers: 'Customers',
  month: (k) => `M${k}`,
  cohort: 'Cohort',
  score: 'Score',
  noPeriods: 'no periods to show',
  noItems: (what) => `no ${what} to show`,
  by: (dimension) => `by ${dimension}`,
  noValueFor: (period) => `${period} has no value`,
  periods: 'period',
  kpi: 'KPI',
  noTarget: 'no target',
  composite: 'composite',
  scorecardKey: ['Grey bands: poor (below 60), fair (60–90), good (90–100)', 'Bar: red when weak (below 60), green when the target is met · mark: the target'],
  cohortLower: 'cohort',
  noRepeatMonth: 'no cohort has a month after its first yet',
  retentionExplained: 'share of each cohort buying again n months after its first purchase',
  latestCohorts: (shown, total) => `latest ${shown} of ${total} cohorts`,
  noCustomers: 'no customer is in any segment',
  customersLower: 'customers',
  noneHasValue: (n, what) => `no ${what} has a value (${n} given)`,
  toDateNote: (period, day) => `${period}*: to date, through ${day}`,
  sampleSize: (n) => `n=${n}`,
  lowSample: 'pale: small sample, low confidence',
  rankedByN: 'largest n first',
  lowSampleShort: 'low confidence',
};

const ZH: ChartLabels = {
  noData: (subject, period) => `${subject}在${period}没有数据`,
  thisPeriod: '本期',
  previous: '上期',
  lastYear: '去年同期',
  target: '目标',
  threshold: '阈值',
  band: '正常范围',
  firing: '告警中',
  latest: '最新',
  vs: '对比',
  noValue: '无数值',
  other: (n) => `其他（${n}）`,
  topOf: (shown, total) => `前 ${shown} / 共 ${total}`,
  withoutValue: (n, what) => `${n} 个${what}无数值`,
  anomaly: '异常',
  periodsWithoutValue: (n) => `${n} 个期间无数值`,
  now: '本期',
  customers: '客户数',
  month: (k) => `第${k}月`,
  cohort: '同期群',
  score: '得分',
  noPeriods: '没有可显示的期间',
  noItems: (what) => `没有可显示的${what}`,
  by: (dimension) => `按${dimension}`,
  noValueFor: (period) => `${period}没有数值`,
  periods: '期间',
  kpi: '指标',
  noTarget: '无目标',
  composite: '综合得分',
  scorecardKey: ['灰色底带：差（60 以下）、中（60–90）、好（90–100）', '条：低于 60 为红色（偏弱），达成目标为绿色 · 竖线：目标'],
  cohortLower: '同期群',
  noRepeatMonth: '还没有同期群进入首购后的月份',
  retentionExplained: '各同期群在首次购买后第 n 个月再次购买的比例',
  latestCohorts: (shown, total) => `最近 ${shown} / 共 ${total} 个同期群`,
  noCustomers: '没有客户属于任何分群',
  customersLower: '位客户',
  noneHasValue: (n, what) => `${n} 个${what}都没有数值`,
  toDateNote: (period, day) => `${period}*：截至 ${day}，本期尚未结束`,
  sampleSize: (n) => `n=${n}`,
  lowSample: '浅色：样本少，置信度低',
  rankedByN: '按样本量从大到小',
  lowSampleShort: '置信度低',
};

/** The chart words in `lang` (English by default). */
export function chartLabels(lang: ChartLang | undefined): ChartLabels {
  return lang === 'zh' ? ZH : EN;
}
