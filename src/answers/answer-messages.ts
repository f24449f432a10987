import type { ModelKpi } from '../domain/kpi.ts';
import type { Catalog, InLocales } from '../domain/locale.ts';
import type { MessageWords } from './messages.ts';
import { aggregateName, dimensionName, grainName, perspectiveName, segmentName, severityName, tierName } from './word-names.ts';

/** The KPI engine's reasons for a missing value, in words a sales manager reads without a formula. */
const REASON: InLocales<(r: string) => string> = {
  en: (r) => {
    if (r === 'division by zero') return 'nothing to divide by: no records for it in this period';
    if (r.startsWith('data only from ')) return `${r}, so it cannot be compared like for like`;
    const metric = /^no value for metric '(.+)'$/.exec(r);
    return metric ? `no records for ${metric[1]} in this period` : r;
  },
  zh: (r) => {
    if (r === 'division by zero') return '该期没有可计算的记录';
    if (r === 'before the data starts') return '早于数据开始的时间';
    const since = /^no data since (.+)$/.exec(r);
    if (since) return `自 ${since[1]} 起没有数据`;
    const from = /^data only from (.+)$/.exec(r);
    if (from) return `数据从 ${from[1]} 才开始，无法同口径比较`;
    if (r === 'no value') return '无数值';
    if (r === 'no target') return '无目标';
    const metric = /^no value for metric '(.+)'$/.exec(r);
    return metric ? `指标 ${metric[1]} 无数值` : r;
  },
};

/** How each locale writes the subcommand that answers a computed KPI. */
const MODEL_COMMAND: Readonly<Record<ModelKpi, InLocales<string>>> = {
  clv_predicted: { en: 'clv_predicted', zh: '预测终身价值' },
  customers_at_risk: { en: 'customers at risk', zh: '流失风险客户' },
};

/** The words of the answers to questions: names, tables, KPI, why, list, segments, cohorts, scorecard and samples. */
export const ANSWER_MESSAGES = {
  kpiTitle: { en: (kpi) => kpi.title, zh: (kpi) => kpi.title_zh ?? kpi.title },
  dimension: dimensionName,
  severity: severityName,
  perspective: perspectiveName,
  segment: segmentName,
  tier: tierName,
  yes: { en: 'yes', zh: '是' },
  no: { en: 'no', zh: '否' },
  more: { en: (n) => `… and ${n} more`, zh: (n) => `……另有 ${n} 项` },
  chartInDm: { en: 'chart sent to your direct messages with crm-pulse', zh: '图表已发送到你与 crm-pulse 的私信' },
  tableRows: { en: (from, to, total) => `rows ${from}–${to} of ${total}`, zh: (from, to, total) => `第 ${from}–${to} 行，共 ${total} 行` },
  tableRest: {
    en: (from, to, total, inThread) => `rows ${from}–${to} of ${total}; the rest follow ${inThread ? 'in the thread' : 'in the next messages'}`,
    zh: (from, to, total, inThread) => `第 ${from}–${to} 行，共 ${total} 行；其余各行见${inThread ? '消息串' : '后续消息'}`,
  },
  tableNotShown: {
    en: (n) => `${n} more rows not shown: ask for a shorter period or a narrower breakdown`,
    zh: (n) => `另有 ${n} 行未显示：请缩短时段或缩小分组范围`,
  },
  comma: { en: ', ', zh: '、' },
  semicolon: { en: '; ', zh: '；' },
  sentenceGap: { en: ' ', zh: '' },
  kpiHeader: { en: (title, period) => `${title} · ${period}`, zh: (title, period) => `${title} · ${period}` },
  toDate: { en: (day) => `to date, through ${day}`, zh: (day) => `截至 ${day}，本期尚未结束` },
  toDateLabel: { en: (period, day) => `${period} through ${day}`, zh: (period, day) => `${period} 截至 ${day}` },
  atDataEnd: { en: (day) => `as of the data's end, ${day}`, zh: (day) => `按数据截止日 ${day} 计算` },
  dataEnd: { en: (day) => `the data's end, ${day}`, zh: (day) => `数据截止日 ${day}` },
  noValue: { en: (reason) => `no value${reason ? ` (${REASON.en(reason)})` : ''}`, zh: (r) => `无数值${r ? `（${REASON.zh(r)}）` : ''}` },
  vsPrevious: { en: 'vs previous period', zh: '环比' },
  vsLastYear: { en: 'vs last year', zh: '同比' },
  change: { en: (change, period, value) => `${change} (${period}: ${value})`, zh: (change, period, value) => `${change}（${period}：${value}）` },
  targetLabel: { en: 'Target', zh: '目标' },
  target: {
    en: (value, deadline, progress, projected, onTrack, reason) =>
      `${value} by ${deadline}` +
      (reason !== undefined
        ? ` · ${reason}`
        : `${progress ? ` · ${progress} of the way` : ''}${projected ? ` · projected ${projected}` : ''} · ${onTrack ? '✅ on track' : '⚠️ off track'}`),
    zh: (value, deadline, progress, projected, onTrack, r) =>
      `${deadline} 前达到 ${value}` +
      (r !== undefined
        ? ` · ${REASON.zh(r)}`
        : `${progress ? ` · 已完成 ${progress}` : ''}${projected ? ` · 预计 ${projected}` : ''} · ${onTrack ? '✅ 进度正常' : '⚠️ 进度落后'}`),
  },
  changeColumn: { en: 'change', zh: '变化' },
  definition: { en: (kpi) => `${kpi.key}: ${kpi.description}`, zh: (kpi) => `${kpi.key}：公式 ${kpi.formula}` },
  timeZone: { en: (tz) => `time zone ${tz}`, zh: (tz) => `时区 ${tz}` },
  trendAlt: {
    en: (title, range, threshold, target) =>
      `Line chart of ${title} per period, ${range}${threshold ? ', with the alert threshold' : ''}${target ? ', with the target' : ''}`,
    zh: (title, range, threshold, target) => `${title} 各期折线图，${range}${threshold ? '，含告警阈值' : ''}${target ? '，含目标' : ''}`,
  },
  breakdownAlt: {
    en: (title, dimension, period) => `Bar chart of ${title} by ${dimension} in ${period}, with the previous period as ticks`,
    zh: (title, dimension, period) => `${period} ${title} 按${dimension}的条形图，刻度线为上一期`,
  },
  whyHeader: { en: (title, period) => `Why ${title} moved · ${period}`, zh: (title, period) => `${title} 为什么变化 · ${period}` },
  whySummary: {
    en: (title, before, after, previous, period, change) => `${title} went from *${before}* in ${previous} to *${after}* in ${period} (*${change}*).`,
    zh: (title, before, after, previous, period, change) => `${title} 从 ${previous} 的 *${before}* 变为 ${period} 的 *${after}*（*${change}*）。`,
  },
  whyNoValue: {
    en: (title, period, reason) => `${title} has no value in ${period}${reason ? ` (${REASON.en(reason)})` : ''}, so there is no change to explain.`,
    zh: (title, period, r) => `${title} 在 ${period} 没有数值${r ? `（${REASON.zh(r)}）` : ''}，无法解释变化。`,
  },
  topDriver: {
    en: (key, dimension, effect) => `Biggest driver: *${key}* (${dimension}), ${effect}.`,
    zh: (key, dimension, effect) => `最大影响因素：*${key}*（${dimension}），${effect}。`,
  },
  largestChange: {
    en: (key, dimension, change) => `Largest change of its own: *${key}* (${dimension}), ${change}.`,
    zh: (key, dimension, change) => `自身变化最大：*${key}*（${dimension}），${change}。`,
  },
  method: {
    en: (method, title, d) =>
      method === 'additive'
        ? `Method: ${title} is an additive metric (\`${d.formula}\`), so each value's contribution is its own change; they add up to the total change.`
        : method === 'shift_share'
          ? `Method: shift-share. ${title} is a ratio (\`${d.formula}\`): each value's contribution is its rate effect (the change of its own rate, weighted by its average share of \`${d.denominator}\`) plus its mix effect (its change in share, times how far its rate is from the overall one). They add up to the total change.`
          : `${title} does not split into parts that add up (${d.aggregates?.length ? `it is ${d.aggregates.map((a) => aggregateName.en(a)).join(' and ')}` : `\`${d.formula}\` is neither a sum nor a ratio of sums`}), so each value is ranked by its own change instead of a contribution.`,
    zh: (method, title, d) =>
      method === 'additive'
        ? `方法：${title} 是可加指标（\`${d.formula}\`），每个值的贡献就是它自身的变化，各项之和等于总变化。`
        : method === 'shift_share'
          ? `方法：偏离-份额分解。${title} 是比率（\`${d.formula}\`）：每个值的贡献 = 比率效应（自身比率的变化 × 它在 \`${d.denominator}\` 中的平均占比）+ 结构效应（占比的变化 × 它的比率与整体比率之差），各项之和等于总变化。`
          : `${title} 不能拆分为可相加的部分（${d.aggregates?.length ? `它是${d.aggregates.map((a) => aggregateName.zh(a)).join('和')}` : `\`${d.formula}\` 既不是求和也不是求和之比`}），因此按各值自身的变化排序，而不是按贡献。`,
  },
  rateEffect: { en: 'rate', zh: '比率效应' },
  mixEffect: { en: 'mix', zh: '结构效应' },
  contribution: { en: 'contribution', zh: '贡献' },
  unexplained: {
    en: (value) => `Not attributed to any value: ${value} (records counted under more than one value).`,
    zh: (value) => `未归因部分：${value}（有记录同时计入多个值）。`,
  },
  noDimensions: { en: (title) => `${title} has no dimension to break its change down by.`, zh: (title) => `${title} 没有可以分解变化的维度。` },
  contributionAlt: {
    en: (title, dimension, previous, period) => `Bar chart of each ${dimension}'s contribution to the change of ${title} from ${previous} to ${period}`,
    zh: (title, dimension, previous, period) => `${title} 从 ${previous} 到 ${period} 的变化中各${dimension}贡献的条形图`,
  },
  listHeader: { en: (period) => `KPIs · ${period}`, zh: (period) => `KPI 一览 · ${period}` },
  listColumns: { en: ['kpi', 'title', 'value', 'vs previous', 'period'], zh: ['KPI', '名称', '数值', '环比', '时间段'] },
  listComputed: { en: (model) => `model: /kpi ${MODEL_COMMAND[model].en}`, zh: (model) => `模型：/kpi ${MODEL_COMMAND[model].zh}` },
  listContext: {
    en: '`/kpi <kpi>` shows one KPI with its chart. The value is the latest period with one in the last 12 months; – means none.',
    zh: '`/kpi <KPI>` 查看单个 KPI 及其图表。数值取最近 12 个月中最新的有值时间段；– 表示没有数值。',
  },
  rfmTitle: { en: 'RFM segments', zh: 'RFM 客户分群' },
  segmentsHeader: {
    en: (customers, date) => `RFM segments of ${customers} customers · as of ${date}`,
    zh: (customers, date) => `${customers} 位客户的 RFM 分群 · 截至 ${date}`,
  },
  segmentColumns: {
    en: ['segment', 'customers', 'share', 'recency (days)', 'purchases', 'avg spend'],
    zh: ['分群', '客户数', '占比', '最近购买（天）', '购买次数', '平均消费'],
  },
  tiers: { en: (parts) => `Value tiers: ${parts}`, zh: (parts) => `价值层级：${parts}` },
  avgSpend: { en: 'Average spend', zh: '平均消费' },
  noCustomers: { en: (date) => `No customer had bought anything before ${date}.`, zh: (date) => `${date} 之前没有客户购买记录。` },
  cohortTitle: { en: 'Cohort retention', zh: '同期群留存' },
  cohortsHeader: { en: (n) => `Cohort retention · ${n} monthly cohorts`, zh: (n) => `同期群留存 · ${n} 个月度同期群` },
  cohortPartialShort: { en: (through) => `* to date, through ${through}`, zh: (through) => `* 截至 ${through}` },
  cohortPartial: {
    en: (month, through) => `* ${month} is to date (data through ${through}): not a whole month, so not a drop.`,
    zh: (month, through) => `* ${month} 尚未结束（数据截至 ${through}），不是整月，并非下滑。`,
  },
  cohortColumns: { en: ['cohort', 'customers'], zh: ['同期群', '客户数'] },
  month: { en: (k) => `m${k}`, zh: (k) => `第${k}月` },
  noCohorts: { en: 'No purchases with a customer in the store.', zh: '没有带客户的购买记录。' },
  cohortsContext: {
    en: 'mN: share of the cohort buying again N months after the first purchase; the latest 24 cohorts at most.',
    zh: '第N月：首次购买后第 N 个月再次购买的客户占比；最多显示最近 24 个同期群。',
  },
  scorecardTitle: { en: 'Balanced Scorecard', zh: '平衡计分卡' },
  chartAlt: { en: (title, period) => `Chart: ${title}, ${period}`, zh: (title, period) => `图表：${title}，${period}` },
  scorecardHeader: {
    en: (period, composite) => `Scorecard · ${period} · ${composite} / 100`,
    zh: (period, composite) => `计分卡 · ${period} · ${composite} / 100`,
  },
  scorecardColumns: { en: ['perspective / KPI', 'score', 'weight', 'value', 'target'], zh: ['维度 / KPI', '得分', '权重', '数值', '目标'] },
  notScored: { en: (title, reason) => `not scored: ${title} (${reason})`, zh: (title, r) => `未评分：${title}（${REASON.zh(r)}）` },
  noScorecard: {
    en: 'No scorecard is configured: list KPIs per perspective under `scorecard.perspectives` in the config.',
    zh: '尚未配置计分卡：请在配置的 `scorecard.perspectives` 下按维度列出 KPI。',
  },
  sample: { en: (n, min) => `n = ${n}${min ? `, under ${min}: low confidence` : ''}`, zh: (n, min) => `样本 n = ${n}${min ? `，少于 ${min}：置信度低` : ''}` },
  sampleColumn: { en: 'n', zh: '样本 n' },
  lowSampleNote: {
    en: (min) => `* n under ${min}: low confidence, ranked by n and never judged against a target`,
    zh: (min) => `* 样本 n 少于 ${min}：置信度低，按样本量排序，不据此判断目标进度`,
  },
  lowSampleTarget: { en: (n, min) => `not judged: n = ${n}, under ${min}`, zh: (n, min) => `不作判断：样本 n = ${n}，少于 ${min}` },
  targetHeading: {
    en: (start, period, heading) =>
      `from ${start} (${period}), ${heading === 'toward' ? 'moving toward it' : heading === 'away' ? 'moving away' : 'not moving'}`,
    zh: (start, period, heading) => `起点 ${start}（${period}），${heading === 'toward' ? '正在接近目标' : heading === 'away' ? '正在远离目标' : '没有变化'}`,
  },
  targetPace: {
    en: (target, grain, perGrain, pace) => `Target ${target} per ${grain} = ${pace} per ${perGrain} (pace)`,
    zh: (target, grain, perGrain, pace) => `目标 每${grainName.zh(grain)} ${target} = 每${grainName.zh(perGrain)} ${pace}（折算进度）`,
  },
} satisfies Partial<Catalog<MessageWords>>;
