import type { CommandName } from './command.ts';
import type { HelpEntry, Messages, ParseProblem } from './messages.ts';

const HELP: Readonly<Record<CommandName, HelpEntry>> = {
  help: { syntax: '/kpi 帮助 [子命令]', summary: '显示本帮助，或某个子命令的帮助', examples: ['/kpi 帮助 为什么'] },
  list: { syntax: '/kpi 列表', summary: '所有 KPI 及其最新数值', examples: ['/kpi 列表'] },
  kpi: {
    syntax: '/kpi <KPI> [时间段] [按 <维度>] [截至 <日期>]',
    summary: '数值、与上一期和去年同期的对比、目标进度和趋势图；加“按”给出分解',
    examples: ['/kpi 赢单率', '/kpi 赢单率 上季度 按区域', '/kpi 上月 赢单收入 按负责人', '/kpi won_revenue 2017年9月 截至 2017-09-15'],
  },
  chart: { syntax: '/kpi 图表 <KPI> [时间段] [按 <维度>]', summary: '只看图表', examples: ['/kpi 图表 赢单收入 上月 按负责人'] },
  forecast: {
    syntax: '/kpi 预测 <KPI> [按 <维度>] [未来 <n> 天|周|个月]',
    summary: '指数平滑预测（按 AICc 选模型），附 80% 和 95% 预测区间及图表',
    examples: ['/kpi 预测 赢单收入 未来3个月', '/kpi 预测 order_revenue 未来 4 周', '/kpi 预测 赢单收入 按区域'],
  },
  why: {
    syntax: '/kpi 为什么 <KPI> [时间段] [按 <维度>]',
    summary: '按对环比变化的贡献，给区域、负责人、产品、行业等排序',
    examples: ['/kpi 为什么 赢单收入 上月', '/kpi 为什么 win_rate 2017年第3季度 按负责人'],
  },
  alerts: { syntax: '/kpi 告警', summary: '未关闭的告警（附消息串链接）和生效中的静默', examples: ['/kpi 告警'] },
  ack: { syntax: '/kpi 确认 <告警编号>', summary: '确认告警：不再提醒（仅管理员）', examples: ['/kpi 确认 12'] },
  silence: {
    syntax: '/kpi 静默 <KPI|告警编号> <时长> [原因]',
    summary: '让某个 KPI 的告警或某条告警静默 30m、4小时、1天、2周等（仅管理员）',
    examples: ['/kpi 静默 赢单率 1天 季末清理数据', '/kpi 静默 12 4小时'],
  },
  segments: { syntax: '/kpi 客户分群 [截至 <日期>]', summary: '客户的 RFM 分群', examples: ['/kpi 客户分群 截至 2011-12-10'] },
  cohorts: { syntax: '/kpi 同期群 [截至 <日期>]', summary: '按月的同期群留存', examples: ['/kpi 同期群'] },
  scorecard: { syntax: '/kpi 计分卡 [时间段]', summary: '对照目标的加权平衡计分卡', examples: ['/kpi 计分卡', '/kpi 计分卡 2017年第3季度'] },
  clv_predicted: {
    syntax: '/kpi 预测终身价值 [截至 <日期>]',
    summary: '未来 12 个月的预测客户终身价值（BG/NBD 与 Gamma-Gamma 模型），总计及按 RFM 分群',
    examples: ['/kpi 预测终身价值', '/kpi 预测终身价值 截至 2011-09-30'],
  },
  at_risk: {
    syntax: '/kpi 流失风险客户 [截至 <日期>]',
    summary: '模型认为已停止购买（存活概率低）的高价值客户，并与 RFM 的“有流失风险”和“不能失去”对照',
    examples: ['/kpi 流失风险客户', '/kpi 流失风险客户 截至 2011-09-30'],
  },
  target: {
    syntax: '/kpi 目标 <KPI> <目标值> 到 <日期>',
    summary: '设定 SMART 目标，替换配置中的目标（仅管理员）',
    examples: ['/kpi 目标 赢单率 65% 到 2018-03-31', '/kpi 目标 赢单收入 350万 到 2018年第1季度'],
  },
  subscribe: { syntax: '/kpi 订阅 <#频道> <KPI…>', summary: '把这些 KPI 的告警也发到某个频道（仅管理员）', examples: ['/kpi 订阅 #sales 赢单率 赢单收入'] },
  snooze: {
    syntax: '/kpi 暂停提醒 <告警编号> <时长|sync>',
    summary: '让一条告警暂停提醒 1小时、1天…，或直到下次数据同步（仅管理员）',
    examples: ['/kpi 暂停提醒 12 1天', '/kpi 暂停提醒 12 sync'],
  },
  unsubscribe: { syntax: '/kpi 取消订阅 <#频道> <KPI…>', summary: '取消订阅（仅管理员）', examples: ['/kpi 取消订阅 #sales 赢单率'] },
  digest: {
    syntax: '/kpi 周报 [预览] [给 <经理>]',
    summary: '上周的每周摘要：如果你管理团队（alerts.owners）则是你团队的，或指定经理的，否则是全公司的；预览只给你看',
    examples: ['/kpi 周报 预览', '/kpi 周报 预览 给 Dustin Brinkmann', '/kpi 周报'],
  },
  status: { syntax: '/kpi 状态', summary: '数据源、最近同步、被拒绝的行、数据新鲜度和发送失败的通知', examples: ['/kpi 状态'] },
};

/** How the help refers to each subcommand: its Chinese keyword (the `<kpi>` form keeps its name). */
const NAMES: Readonly<Record<CommandName, string>> = {
  help: '帮助',
  list: '列表',
  kpi: 'kpi',
  chart: '图表',
  why: '为什么',
  alerts: '告警',
  ack: '确认',
  silence: '静默',
  snooze: '暂停提醒',
  segments: '客户分群',
  cohorts: '同期群',
  scorecard: '计分卡',
  clv_predicted: '预测终身价值',
  at_risk: '流失风险客户',
  target: '目标',
  subscribe: '订阅',
  unsubscribe: '取消订阅',
  digest: '周报',
  status: '状态',
  forecast: '预测',
};

const DIMENSIONS: Readonly<Record<string, string>> = {
  region: '区域',
  office: '办公室',
  owner: '负责人',
  manager: '经理',
  product: '产品',
  sector: '行业',
  country: '国家',
  stage: '阶段',
  category: '类别',
  channel: '渠道',
  priority: '优先级',
  segment: '客户分群',
  customer: '客户',
  kind: '类型',
  campaign: '营销活动',
};
const SEVERITY: Readonly<Record<string, string>> = { warning: '警告', critical: '严重' };
const AGGREGATES: Readonly<Record<string, string>> = { avg: '平均值', median: '中位数', percentile: '分位数' };
const PERSPECTIVES: Readonly<Record<string, string>> = { financial: '财务', customer: '客户', internal_process: '内部流程', learning_growth: '学习与成长' };
const SEGMENTS: Readonly<Record<string, string>> = {
  Champions: '冠军客户',
  'Loyal Customers': '忠诚客户',
  'Potential Loyalists': '潜在忠诚客户',
  'New Customers': '新客户',
  Promising: '有潜力客户',
  'Need Attention': '需要关注',
  'About to Sleep': '即将沉睡',
  'At Risk': '有流失风险',
  "Can't Lose": '不能失去',
  Hibernating: '休眠客户',
};
const TIERS: Readonly<Record<string, string>> = { high: '高价值', mid: '中价值', low: '低价值', 'no value': '无价值' };
const GRAINS: Readonly<Record<string, string>> = { day: '天', week: '周', month: '月', quarter: '季度', year: '年' };
const WHAT: Readonly<Record<string, string>> = {
  kpi: '哪个 KPI',
  alert: '告警编号',
  duration: '时长（30m、4小时、1天、2周）',
  value: '目标值',
  deadline: '截止日期（`到 2018-03-31`）',
  channel: '频道（#sales）',
  kpis: '至少一个 KPI',
  dimension: '“按”后面的维度',
  date: '“截至”后面的日期',
  subject: '一个 KPI 或告警编号',
};

/** The KPI engine's reasons for a missing value, in Chinese where they are known. */
function reason(r: string): string {
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
}

const suggest = (s: string | undefined) => (s ? `你是不是想输入 \`${s}\`？` : '');

function problem(p: ParseProblem): string {
  switch (p.kind) {
    case 'unknown_word':
      return `无法识别 \`${p.word}\`：它既不是子命令也不是 KPI。${suggest(p.suggestion)}`;
    case 'ambiguous_kpi':
      return `\`${p.word}\` 可能指多个 KPI：${p.candidates.map((c) => `\`${c}\``).join('、')}。请指明是哪一个。`;
    case 'unknown_kpi':
      return `没有名为 \`${p.word}\` 的 KPI。${suggest(p.suggestion)}`;
    case 'missing':
      return `缺少${WHAT[p.what]}。`;
    case 'bad_period':
      return `无法识别时间段 \`${p.text}\`。可以这样写：今天、昨天、本周、上周、本月、上个月、本季度、上季度、今年、去年、2017年9月、2017年第3季度、2017年第36周、2017-09、2017-Q3。`;
    case 'bad_dimension':
      return `${p.kpi} 不能按 \`${p.word}\` 分解。${suggest(p.suggestion)}可用的维度：${p.known.map((d) => `${DIMENSIONS[d] ?? d}（${d}）`).join('、') || '无'}。`;
    case 'bad_alert_id':
      return `\`${p.word}\` 不是告警编号：请使用 \`/kpi 告警\` 中显示的数字，例如 \`12\`。`;
    case 'bad_duration':
      return `\`${p.word}\` 不是时长：请写数字加单位，例如 \`30分钟\`、\`4小时\`、\`1天\`、\`2周\`（或 30m、4h、1d、2w）。`;
    case 'bad_value':
      return p.percent ? `\`${p.word}\` 不是比例：请写 \`65%\` 或 \`0.65\`。` : `\`${p.word}\` 不是数字：例如 \`2500\`、\`3,200,000\`、\`320万\`。`;
    case 'past_deadline':
      return `截止日期 ${p.date} 已经过去：目标需要一个将来的日期。`;
    case 'unexpected':
      return `不明白 \`${p.words}\` 是什么意思。`;
    case 'bad_channel':
      return `\`${p.word}\` 不是频道：请写成 \`#sales\`。`;
    case 'long_reason':
      return `原因有 ${p.length} 个字符，最多 ${p.max} 个。请缩短。`;
    case 'far_deadline':
      return `截止日期 ${p.date} 太远了：目标的截止日期最晚为 ${p.latest}。`;
    case 'unknown_channel':
      return `crm-pulse 看不到名为 \`${p.word}\` 的频道：请从 Slack 的频道列表中选择（输入 \`#\` 再输入名称），并把 @crm-pulse 邀请到该频道。`;
  }
}

/** The Simplified Chinese messages. */
export const ZH: Messages = {
  locale: 'zh',
  kpiTitle: (kpi) => kpi.title_zh ?? kpi.title,
  dimension: (name) => DIMENSIONS[name] ?? name,
  severity: (s) => SEVERITY[s] ?? s,
  perspective: (p) => PERSPECTIVES[p] ?? p,
  segment: (name) => SEGMENTS[name] ?? name,
  tier: (name) => TIERS[name] ?? name,
  yes: '是',
  no: '否',
  more: (n) => `……另有 ${n} 项`,
  chartInDm: '图表已发送到你与 crm-pulse 的私信',
  tableRows: (from, to, total) => `第 ${from}–${to} 行，共 ${total} 行`,
  tableRest: (from, to, total, inThread) => `第 ${from}–${to} 行，共 ${total} 行；其余各行见${inThread ? '消息串' : '后续消息'}`,
  tableNotShown: (n) => `另有 ${n} 行未显示：请缩短时段或缩小分组范围`,
  comma: '、',

  problem,
  helpTitle: 'crm-pulse：/kpi 命令',
  helpIntro: '可以查询目录中的任意 KPI（`/kpi 列表`）。回答默认只有你能看到，末尾加 `发布`（或 `post`）则发到频道。',
  help: (name) => HELP[name],
  helpFooter:
    '末尾加 `发布` 把回答分享到频道。时间段：今天、昨天、本周、上周、本月、上个月、本季度、上季度、今年、去年、2017年9月、2017年第3季度、2017-09、last week。维度：区域、负责人、经理、产品、行业、国家、渠道……',
  seeHelp: (name) => `输入 \`/kpi 帮助${name === 'help' ? '' : ` ${NAMES[name]}`}\` 查看详情。`,

  kpiHeader: (title, period) => `${title} · ${period}`,
  toDate: (day) => `截至 ${day}，本期尚未结束`,
  toDateLabel: (period, day) => `${period} 截至 ${day}`,
  atDataEnd: (day) => `按数据截止日 ${day} 计算`,
  dataEnd: (day) => `数据截止日 ${day}`,
  noValue: (r) => `无数值${r ? `（${reason(r)}）` : ''}`,
  vsPrevious: '环比',
  vsLastYear: '同比',
  change: (change, period, value) => `${change}（${period}：${value}）`,
  targetLabel: '目标',
  target: (value, deadline, progress, projected, onTrack, r) =>
    `${deadline} 前达到 ${value}` +
    (r !== undefined
      ? ` · ${reason(r)}`
      : `${progress ? ` · 已完成 ${progress}` : ''}${projected ? ` · 预计 ${projected}` : ''} · ${onTrack ? '✅ 进度正常' : '⚠️ 进度落后'}`),
  changeColumn: '变化',
  definition: (kpi) => `${kpi.key}：公式 ${kpi.formula}`,
  timeZone: (tz) => `时区 ${tz}`,
  trendAlt: (title, range, threshold, target) => `${title} 各期折线图，${range}${threshold ? '，含告警阈值' : ''}${target ? '，含目标' : ''}`,
  breakdownAlt: (title, dimension, period) => `${period} ${title} 按${dimension}的条形图，刻度线为上一期`,

  whyHeader: (title, period) => `${title} 为什么变化 · ${period}`,
  whySummary: (title, before, after, previous, period, change) => `${title} 从 ${previous} 的 *${before}* 变为 ${period} 的 *${after}*（*${change}*）。`,
  whyNoValue: (title, period, r) => `${title} 在 ${period} 没有数值${r ? `（${reason(r)}）` : ''}，无法解释变化。`,
  topDriver: (key, dimension, effect) => `最大影响因素：*${key}*（${dimension}），${effect}。`,
  largestChange: (key, dimension, change) => `自身变化最大：*${key}*（${dimension}），${change}。`,
  method: (method, title, d) =>
    method === 'additive'
      ? `方法：${title} 是可加指标（\`${d.formula}\`），每个值的贡献就是它自身的变化，各项之和等于总变化。`
      : method === 'shift_share'
        ? `方法：偏离-份额分解。${title} 是比率（\`${d.formula}\`）：每个值的贡献 = 比率效应（自身比率的变化 × 它在 \`${d.denominator}\` 中的平均占比）+ 结构效应（占比的变化 × 它的比率与整体比率之差），各项之和等于总变化。`
        : `${title} 不能拆分为可相加的部分（${d.aggregates?.length ? `它是${d.aggregates.map((a) => AGGREGATES[a] ?? a).join('和')}` : `\`${d.formula}\` 既不是求和也不是求和之比`}），因此按各值自身的变化排序，而不是按贡献。`,
  rateEffect: '比率效应',
  mixEffect: '结构效应',
  contribution: '贡献',
  unexplained: (value) => `未归因部分：${value}（有记录同时计入多个值）。`,
  noDimensions: (title) => `${title} 没有可以分解变化的维度。`,
  contributionAlt: (title, dimension, previous, period) => `${title} 从 ${previous} 到 ${period} 的变化中各${dimension}贡献的条形图`,

  listHeader: (period) => `KPI 一览 · ${period}`,
  listColumns: ['KPI', '名称', '数值', '环比', '时间段'],
  listComputed: (command) => `模型：/kpi ${command}`,
  listContext: '`/kpi <KPI>` 查看单个 KPI 及其图表。数值取最近 12 个月中最新的有值时间段；– 表示没有数值。',

  alertsHeader: (open) => `未关闭的告警：${open}`,
  noOpenAlerts: '没有未关闭的告警。✅',
  alertColumns: ['编号', '级别', 'KPI', '序列', '开始于', '最新值', '已确认'],
  silencesHeader: (n) => `生效中的静默：${n}`,
  silenceColumns: ['编号', '匹配', '直到', '设置人', '原因'],
  untilNextSync: '下次同步',
  threads: (id, where) => `#${id}：${where}`,
  alertsHint: '`/kpi 确认 <编号>` 确认告警；`/kpi 静默 <KPI|编号> <时长> [原因]` 静默告警。',
  acknowledgedBy: (user) => `由 ${user}`,
  acked: (id, what) => `👀 告警 ${id}（${what}）已确认：不再提醒，告警在恢复前保持打开。`,
  noEpisode: (id) => `没有编号为 ${id} 的告警。\`/kpi 告警\` 列出未关闭的告警。`,
  episodeEnded: (id, at) => `告警 ${id} 已于 ${at} 恢复，无需确认或静默。`,
  silenced: (what, until, id) => `🔕 ${what}已静默至 ${until}（静默 ${id}）。`,
  silenceKpi: (title) => `${title} 的告警`,
  silenceEpisode: (id) => `告警 ${id} `,
  defaultSilenceReason: (user) => `由 ${user} 通过 /kpi 静默`,
  snoozed: (id, until) => `💤 告警 ${id} 已暂停提醒至 ${until}。`,

  rfmTitle: 'RFM 客户分群',
  segmentsHeader: (customers, date) => `${customers} 位客户的 RFM 分群 · 截至 ${date}`,
  segmentColumns: ['分群', '客户数', '占比', '最近购买（天）', '购买次数', '平均消费'],
  tiers: (parts) => `价值层级：${parts}`,
  avgSpend: '平均消费',
  noCustomers: (date) => `${date} 之前没有客户购买记录。`,

  cohortTitle: '同期群留存',
  cohortsHeader: (n) => `同期群留存 · ${n} 个月度同期群`,
  cohortPartialShort: (through) => `* 截至 ${through}`,
  cohortPartial: (month, through) => `* ${month} 尚未结束（数据截至 ${through}），不是整月，并非下滑。`,
  cohortColumns: ['同期群', '客户数'],
  month: (k) => `第${k}月`,
  noCohorts: '没有带客户的购买记录。',
  cohortsContext: '第N月：首次购买后第 N 个月再次购买的客户占比；最多显示最近 24 个同期群。',

  scorecardTitle: '平衡计分卡',
  chartAlt: (title, period) => `图表：${title}，${period}`,
  scorecardHeader: (period, composite) => `计分卡 · ${period} · ${composite} / 100`,
  scorecardColumns: ['维度 / KPI', '得分', '权重', '数值', '目标'],
  notScored: (title, r) => `未评分：${title}（${reason(r)}）`,
  noScorecard: '尚未配置计分卡：请在配置的 `scorecard.perspectives` 下按维度列出 KPI。',

  targetSet: (title, value, deadline, grain, from, replaced) =>
    `🎯 目标已设定：${title} 在 ${deadline} 前达到 ${value}，按${grain}计算；进度从 ${from ?? '上年同期'} 起算。${replaced ? `替换了原目标 ${replaced}。` : ''}`,
  grain: (g) => GRAINS[g] ?? g,
  subscribed: (channel, added, already) => `🔔 ${channel} 现在会收到 ${added || '（没有新的 KPI）'} 的告警。${already ? `已订阅：${already}。` : ''}`,
  unsubscribed: (channel, removed, absent) => `🔕 ${channel} 不再通过订阅收到 ${removed || '这些 KPI'} 的告警。${absent ? `未订阅：${absent}。` : ''}`,
  refused: (name, admins) =>
    `抱歉，只有管理员可以运行 \`/kpi ${name}\`。${admins.length ? `请联系 ${admins.map((a) => `<@${a}>`).join('、')}。` : '尚未配置管理员（配置中的 slack.admins）。'}`,

  statusHeader: '数据状态',
  statusColumns: ['数据源', '最近同步', '读取', '存储', '拒绝'],
  rejects: (source, total, kinds) => `${source}：${total} 行被拒绝（${kinds}）`,
  leftoverSources: (sources, first) =>
    `:warning: 数据库中有配置里已没有的数据源的数据，所有 KPI 仍在计入：${sources}。可用 \`crm-pulse remove-source ${first}\` 删除，或把该数据源加回配置。`,
  freshness: (latest, days) =>
    latest === undefined ? '还没有记录。' : `最新记录：${latest}${days !== undefined ? `（${days === 0 ? '今天' : `${days} 天前`}）` : ''}。`,
  failedDeliveries: (n) => `⚠️ ${n} 条告警通知最终发送失败：`,
  noData: '还没有数据：运行 `crm-pulse ingest --demo` 或同步一个已配置的数据源。',
  error: (message) => `⚠️ 出错了：${message}`,
  storageUnavailable: '存储暂时不可用：数据库没有响应。crm-pulse 会自动重新连接，请一分钟后再试。',
  internalError: (id) => `crm-pulse 内部出错，没有做任何更改。如果再次发生，请把错误编号 \`${id}\` 告诉管理员。`,
  busy: 'crm-pulse 正忙于回答其他问题，没有接收这个请求。请一分钟后再试。',

  sample: (n, min) => `样本 n = ${n}${min ? `，少于 ${min}：置信度低` : ''}`,
  sampleColumn: '样本 n',
  lowSampleNote: (min) => `* 样本 n 少于 ${min}：置信度低，按样本量排序，不据此判断目标进度`,
  lowSampleTarget: (n, min) => `不作判断：样本 n = ${n}，少于 ${min}`,
  targetHeading: (start, period, heading) =>
    `起点 ${start}（${period}），${heading === 'toward' ? '正在接近目标' : heading === 'away' ? '正在远离目标' : '没有变化'}`,
  targetPace: (target, grain, perGrain, pace) => `目标 每${GRAINS[grain] ?? grain} ${target} = 每${GRAINS[perGrain] ?? perGrain} ${pace}（折算进度）`,
};
