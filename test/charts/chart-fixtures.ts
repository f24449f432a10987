// One input per chart kind in English and one in Chinese, shaped like the KPI engine's results on
// the demo data (weekly win rate, monthly revenue by country, RFM segments, cohort retention, the
// scorecard). Deterministic, so the chart tests and the benchmark see the same charts.
import type { ChartInput } from '../../src/charts/chart-input.ts';
import type { ChartKind } from '../../src/charts/chart-kind.ts';

const week = (i: number) => `2017-W${String(i + 1).padStart(2, '0')}`;
const weekStart = (i: number) => new Date(Date.UTC(2017, 0, 2 + 7 * i)).toISOString().slice(0, 10);

/** 52 weeks of a win rate: a slow wave, one missing week (W21) and a dip in W45 flagged as an anomaly. */
export const WEEKS_52 = Array.from({ length: 52 }, (_, i) => ({
  period: week(i),
  start: weekStart(i),
  value: i === 20 ? null : i === 44 ? 0.221 : Math.round((0.38 + 0.06 * Math.sin(i / 6) + 0.02 * Math.cos(i * 1.7)) * 1000) / 1000,
  anomalous: i === 44,
}));

const series = (n: number, f: (i: number) => number | null) => Array.from({ length: n }, (_, i) => ({ period: week(i), value: f(i) }));

const SEGMENTS = [
  ['Champions', '冠军客户', 633, 6951.2],
  ['Loyal Customers', '忠诚客户', 820, 2617.9],
  ['Potential Loyalists', '潜力客户', 487, 894.4],
  ['New Customers', '新客户', 53, 356.1],
  ['Promising', '有希望', 94, 380.7],
  ['Need Attention', '需要关注', 187, 982.3],
  ['About to Sleep', '即将沉睡', 340, 470.6],
  ['At Risk', '有流失风险', 543, 1082.5],
  ["Can't Lose", '不能失去', 77, 2790.8],
  ['Hibernating', '休眠客户', 1104, 412.2],
] as const;

const COHORT_SIZES = [948, 421, 380, 440, 299, 279, 235, 191, 167, 298, 352, 321, 41];
const COHORTS = COHORT_SIZES.map((size, c) => ({
  cohort: c === 0 ? '2010-12' : `2011-${String(c).padStart(2, '0')}`,
  size,
  retention: Array.from({ length: 13 - c }, (_, k) =>
    k === 0 ? 1 : Math.round(Math.max(0.05, 0.38 - 0.012 * k - 0.01 * c + 0.03 * Math.sin(k + c)) * 1000) / 1000,
  ),
}));

const COUNTRIES = [
  ['United Kingdom', '英国', 981234.5, 883023.3],
  ['Germany', '德国', 62134.1, 50111],
  ['France', '法国', 51234.5, 59357.9],
  ['EIRE', '爱尔兰', 30211, 15211],
  ['Netherlands', '荷兰', 21999, 25199],
  ['Spain', '西班牙', 12000, 9900],
  ['Belgium', '比利时', 2004.28, 1104.28],
] as const;

/** Won revenue by month on the Maven data (illustrative figures), and a forecast of the quarter after. */
const WON_MONTHS = [
  ['2017-03', 1134672],
  ['2017-04', 695082],
  ['2017-05', 1025614],
  ['2017-06', 1338466],
  ['2017-07', 696932],
  ['2017-08', 1050059],
  ['2017-09', 1235264],
  ['2017-10', 731980],
  ['2017-11', 938943],
  ['2017-12', 1131573],
] as const;
const FORECAST_MONTHS = ['2018-01', '2018-02', '2018-03'].map((period, k) => ({
  period,
  mean: 1_000_554,
  lo80: 1_000_554 - 305_060 * Math.sqrt(1 + 0.1 * k),
  hi80: 1_000_554 + 305_060 * Math.sqrt(1 + 0.1 * k),
  lo95: 1_000_554 - 466_548 * Math.sqrt(1 + 0.1 * k),
  hi95: 1_000_554 + 466_548 * Math.sqrt(1 + 0.1 * k),
}));
/** 400 customers spread over past values 20–200,000 with P(alive) falling for the silent ones. */
const CLV_DOTS = Array.from({ length: 400 }, (_, i) => {
  const pastValue = 20 * 10 ** ((i * 0.61803) % 4);
  const silent = (i * 0.41421) % 1;
  return { customer: String(12346 + i), pastValue, pAlive: silent < 0.8 ? 0.9 + silent / 8 : 1 - silent };
});
const CLV_RISK = CLV_DOTS.filter((c) => c.pastValue > 3000 && c.pAlive < 0.5).sort((a, b) => b.pastValue - a.pastValue);

/** The fixtures by name: `<kind>` in English, `<kind>-zh` in Chinese. */
export const CHART_FIXTURES: Record<`${ChartKind}` | `${ChartKind}-zh`, ChartInput> = {
  trend: {
    kind: 'trend',
    title: 'Win rate',
    period: '2017-W01 – 2017-W52',
    unit: 'percent',
    points: WEEKS_52,
    threshold: { value: 0.3 },
    target: 0.45,
    episodes: [{ from: '2017-10-30', to: '2017-11-20' }],
  },
  'trend-zh': {
    kind: 'trend',
    lang: 'zh',
    title: '赢单率',
    period: '2017年第1–52周',
    unit: 'percent',
    points: WEEKS_52,
    threshold: { low: 0.3, high: 0.46 },
    episodes: [{ from: '2017-12-18' }],
  },
  comparison: {
    kind: 'comparison',
    title: 'Revenue',
    period: '2011-11',
    unit: 'currency',
    current: { period: '2011-11', value: 1161817.38 },
    previous: { period: '2011-10', value: 1039318.79 },
    lastYear: { period: '2010-11', value: 1172336.04 },
  },
  'comparison-zh': {
    kind: 'comparison',
    lang: 'zh',
    title: '客户满意度',
    period: '2017年3月',
    unit: 'score',
    current: { period: '2017-03', value: 4.12 },
    previous: { period: '2017-02', value: 4.31 },
    lastYear: { period: '2016-03', value: null },
  },
  breakdown: {
    kind: 'breakdown',
    title: 'Revenue',
    period: '2011-11',
    previousPeriod: '2011-10',
    unit: 'currency',
    dimension: 'country',
    items: COUNTRIES.map(([key, , value, previous]) => ({ key, value, previous })),
  },
  'breakdown-zh': {
    kind: 'breakdown',
    lang: 'zh',
    title: '销售额',
    period: '2011年11月',
    unit: 'currency',
    dimension: '国家',
    items: COUNTRIES.map(([, key, value]) => ({ key, value })),
  },
  contribution: {
    kind: 'contribution',
    title: 'Revenue',
    period: '2011-11',
    unit: 'currency',
    dimension: 'country',
    previous: { period: '2011-10', value: 1039318.79 },
    current: { period: '2011-11', value: 1161817.38 },
    contributions: COUNTRIES.map(([key, , value, previous]) => ({ key, change: value - previous })),
  },
  'contribution-zh': {
    kind: 'contribution',
    lang: 'zh',
    direction: 'lower',
    title: '投诉处理时长（小时）',
    period: '2017年3月',
    unit: 'duration',
    dimension: '负责人',
    previous: { period: '2017-02', value: 27.9 },
    current: { period: '2017-03', value: 31.4 },
    contributions: [
      { key: '张伟', change: 2.1 },
      { key: '王芳', change: -0.8 },
      { key: '李娜', change: 1.9 },
      { key: '刘洋', change: 0.3 },
    ],
  },
  digest: {
    kind: 'digest',
    title: 'Weekly digest: Sales team East',
    period: '2017-W01 – 2017-W12',
    items: [
      { title: 'Win rate', unit: 'percent', points: series(12, (i) => 0.4 + 0.03 * Math.sin(i)) },
      { title: 'Revenue', unit: 'currency', points: series(12, (i) => 120000 + 9000 * i + 20000 * Math.cos(i)) },
      { title: 'Complaint handling time (h)', unit: 'duration', direction: 'lower', points: series(12, (i) => 30 - i + 3 * Math.sin(i * 2)) },
      { title: 'NPS', unit: 'score', points: series(12, (i) => (i === 5 ? null : 20 + 4 * Math.sin(i / 2))) },
      { title: 'New customers', unit: 'count', points: series(12, (i) => 80 + ((i * 17) % 11)) },
      { title: 'Churn rate', unit: 'percent', direction: 'lower', points: series(12, () => null) },
    ],
  },
  'digest-zh': {
    kind: 'digest',
    lang: 'zh',
    title: '每周摘要：华东销售团队',
    period: '2017年第1–12周',
    items: [
      { title: '赢单率', unit: 'percent', points: series(12, (i) => 0.4 + 0.03 * Math.sin(i)) },
      { title: '销售额', unit: 'currency', points: series(12, (i) => 120000 + 9000 * i) },
      { title: '客户满意度', unit: 'score', points: series(12, (i) => 4.1 + 0.1 * Math.cos(i)) },
      { title: '投诉处理时长（小时）', unit: 'duration', direction: 'lower', points: series(12, (i) => 30 - i) },
    ],
  },
  rfm: {
    kind: 'rfm',
    title: 'RFM segments',
    period: 'as of 2011-12-10',
    valueTitle: 'Average spend',
    segments: SEGMENTS.map(([name, , customers, value]) => ({ name, customers, value })),
  },
  'rfm-zh': {
    kind: 'rfm',
    lang: 'zh',
    title: 'RFM 客户分群',
    period: '截至 2011-12-10',
    valueTitle: '平均消费',
    segments: SEGMENTS.map(([, name, customers, value]) => ({ name, customers, value })),
  },
  cohort: { kind: 'cohort', title: 'Customer retention by cohort', period: '2010-12 – 2011-12', cohorts: COHORTS },
  'cohort-zh': { kind: 'cohort', lang: 'zh', title: '客户留存（按首购月份）', period: '2010年12月 – 2011年7月', cohorts: COHORTS.slice(0, 8) },
  scorecard: {
    kind: 'scorecard',
    title: 'Balanced Scorecard',
    period: '2017-Q1',
    composite: 71.6,
    perspectives: [
      {
        name: 'Financial',
        score: 82.4,
        kpis: [
          { title: 'Revenue', unit: 'currency', value: 2912345, target: 3200000, attainment: 91.0 },
          { title: 'Revenue growth', unit: 'percent', value: 0.061, target: 0.05, attainment: 100 },
        ],
      },
      {
        name: 'Customer',
        score: 64.2,
        kpis: [
          { title: 'Customer satisfaction', unit: 'score', value: 4.1, target: 4.5, attainment: 91.1 },
          { title: 'Retention rate', unit: 'percent', value: 0.27, target: 0.4, attainment: 67.5 },
        ],
      },
      {
        name: 'Internal process',
        score: 58.0,
        kpis: [
          { title: 'Complaint handling time (h)', unit: 'duration', value: 31.4, target: 24, attainment: 58.0 },
          { title: 'Win rate', unit: 'percent', value: null, target: 0.45, attainment: null, reason: 'no closed deals' },
        ],
      },
    ],
  },
  'scorecard-zh': {
    kind: 'scorecard',
    lang: 'zh',
    title: '平衡计分卡',
    period: '2017年第1季度',
    composite: 71.6,
    perspectives: [
      { name: '财务', score: 82.4, kpis: [{ title: '销售额', unit: 'currency', value: 2912345, target: 3200000, attainment: 91.0 }] },
      {
        name: '客户',
        score: 64.2,
        kpis: [
          { title: '客户满意度', unit: 'score', value: 4.1, target: 4.5, attainment: 91.1 },
          { title: '客户留存率', unit: 'percent', value: 0.27, target: null, attainment: null },
        ],
      },
    ],
  },
  forecast: {
    kind: 'forecast',
    title: 'Won revenue',
    period: '2017-03 – 2018-03',
    unit: 'currency',
    method: 'ETS(A,N,N)',
    history: WON_MONTHS.map(([period, value]) => ({ period, value })),
    forecast: FORECAST_MONTHS,
    target: 1_066_667,
  },
  'forecast-zh': {
    kind: 'forecast',
    lang: 'zh',
    title: '赢单收入',
    period: '2017-03 – 2018-03',
    unit: 'currency',
    method: 'ETS(A,N,N)',
    history: WON_MONTHS.map(([period, value]) => ({ period, value })),
    forecast: FORECAST_MONTHS,
  },
  clv: {
    kind: 'clv',
    title: 'Customers at risk',
    period: 'as of 2011-12-10',
    customers: CLV_DOTS,
    atRisk: CLV_RISK,
    minPastValue: 3000,
    aliveBelow: 0.5,
    xTitle: 'Past value',
    yTitle: 'P(alive)',
    valueRuleLabel: 'top 20% by value',
    aliveRuleLabel: 'P(alive) 50%',
  },
  'clv-zh': {
    kind: 'clv',
    lang: 'zh',
    title: '流失风险客户',
    period: '截至 2011-12-10',
    customers: CLV_DOTS,
    atRisk: CLV_RISK,
    minPastValue: 3000,
    aliveBelow: 0.5,
    xTitle: '历史价值',
    yTitle: '存活概率',
    valueRuleLabel: '价值前 20%',
    aliveRuleLabel: '存活概率 50%',
  },
};
