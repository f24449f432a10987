import type { Catalog, InLocales } from '../domain/locale.ts';
import type { CommandName } from './command.ts';
import type { HelpEntry, MessageWords, ParseProblem } from './messages.ts';
import { byLocale } from '../lib/by-locale.ts';
import { PERIOD_EXAMPLES } from './parse-period-text.ts';
import { dimensionName } from './word-names.ts';

/** How to write each subcommand. */
const SYNTAX: Readonly<Record<CommandName, InLocales<HelpEntry['syntax']>>> = {
  help: { en: '/kpi help [subcommand]', zh: '/kpi 帮助 [子命令]' },
  list: { en: '/kpi list', zh: '/kpi 列表' },
  kpi: { en: '/kpi <kpi> [period] [by <dimension>] [as of <date>]', zh: '/kpi <KPI> [时间段] [按 <维度>] [截至 <日期>]' },
  chart: { en: '/kpi chart <kpi> [period] [by <dimension>]', zh: '/kpi 图表 <KPI> [时间段] [按 <维度>]' },
  forecast: { en: '/kpi forecast <kpi> [by <dimension>] [next <n> days|weeks|months]', zh: '/kpi 预测 <KPI> [按 <维度>] [未来 <n> 天|周|个月]' },
  why: { en: '/kpi why <kpi> [period] [by <dimension>]', zh: '/kpi 为什么 <KPI> [时间段] [按 <维度>]' },
  alerts: { en: '/kpi alerts', zh: '/kpi 告警' },
  ack: { en: '/kpi ack <alert id>', zh: '/kpi 确认 <告警编号>' },
  silence: { en: '/kpi silence <kpi|alert id> <duration> [reason]', zh: '/kpi 静默 <KPI|告警编号> <时长> [原因]' },
  segments: { en: '/kpi segments [as of <date>]', zh: '/kpi 客户分群 [截至 <日期>]' },
  cohorts: { en: '/kpi cohorts [as of <date>]', zh: '/kpi 同期群 [截至 <日期>]' },
  scorecard: { en: '/kpi scorecard [period]', zh: '/kpi 计分卡 [时间段]' },
  clv_predicted: { en: '/kpi clv_predicted [as of <date>]', zh: '/kpi 预测终身价值 [截至 <日期>]' },
  at_risk: { en: '/kpi customers at risk [as of <date>]', zh: '/kpi 流失风险客户 [截至 <日期>]' },
  target: { en: '/kpi target <kpi> <value> by <date>', zh: '/kpi 目标 <KPI> <目标值> 到 <日期>' },
  subscribe: { en: '/kpi subscribe <#channel> <kpi…>', zh: '/kpi 订阅 <#频道> <KPI…>' },
  snooze: { en: '/kpi snooze <alert id> <duration|sync>', zh: '/kpi 暂停提醒 <告警编号> <时长|sync>' },
  unsubscribe: { en: '/kpi unsubscribe <#channel> <kpi…>', zh: '/kpi 取消订阅 <#频道> <KPI…>' },
  digest: { en: '/kpi digest [preview] [for <manager>]', zh: '/kpi 周报 [预览] [给 <经理>]' },
  status: { en: '/kpi status', zh: '/kpi 状态' },
};

/** What each subcommand answers. */
const SUMMARY: Readonly<Record<CommandName, InLocales<HelpEntry['summary']>>> = {
  help: { en: 'this help, or the help of one subcommand', zh: '显示本帮助，或某个子命令的帮助' },
  list: { en: 'every KPI with its latest value', zh: '所有 KPI 及其最新数值' },
  kpi: {
    en: 'the value, its change against the previous period and last year, its target progress, and a trend chart; `by` adds a breakdown',
    zh: '数值、与上一期和去年同期的对比、目标进度和趋势图；加“按”给出分解',
  },
  chart: { en: 'the chart alone', zh: '只看图表' },
  forecast: {
    en: 'the forecast by exponential smoothing (model chosen by AICc), with 80% and 95% intervals and a chart',
    zh: '指数平滑预测（按 AICc 选模型），附 80% 和 95% 预测区间及图表',
  },
  why: {
    en: 'ranks regions, owners, products, sectors… by their contribution to the change from the previous period',
    zh: '按对环比变化的贡献，给区域、负责人、产品、行业等排序',
  },
  alerts: { en: 'open alerts, with links to their threads, and silences in force', zh: '未关闭的告警（附消息串链接）和生效中的静默' },
  ack: { en: 'acknowledge an alert: reminders stop (admins)', zh: '确认告警：不再提醒（仅管理员）' },
  silence: {
    en: 'mute the alerts of a KPI, or one alert, for 30m, 4h, 1d, 2w… (admins)',
    zh: '让某个 KPI 的告警或某条告警静默 30m、4小时、1天、2周等（仅管理员）',
  },
  segments: { en: 'RFM segments of the customers', zh: '客户的 RFM 分群' },
  cohorts: { en: 'monthly cohort retention', zh: '按月的同期群留存' },
  scorecard: { en: 'the weighted Balanced Scorecard against the targets', zh: '对照目标的加权平衡计分卡' },
  clv_predicted: {
    en: 'predicted customer lifetime value over the next 12 months (BG/NBD and Gamma-Gamma), total and per RFM segment',
    zh: '未来 12 个月的预测客户终身价值（BG/NBD 与 Gamma-Gamma 模型），总计及按 RFM 分群',
  },
  at_risk: {
    en: "top-value customers the model thinks have stopped buying (low P(alive)), beside RFM's At Risk and Can't Lose",
    zh: '模型认为已停止购买（存活概率低）的高价值客户，并与 RFM 的“有流失风险”和“不能失去”对照',
  },
  target: { en: 'set a SMART target; it replaces the configured one (admins)', zh: '设定 SMART 目标，替换配置中的目标（仅管理员）' },
  subscribe: { en: "also send these KPIs' alerts to a channel (admins)", zh: '把这些 KPI 的告警也发到某个频道（仅管理员）' },
  snooze: { en: 'mute one alert for 1h, 1d… or until the next data sync (admins)', zh: '让一条告警暂停提醒 1小时、1天…，或直到下次数据同步（仅管理员）' },
  unsubscribe: { en: 'stop what subscribe started (admins)', zh: '取消订阅（仅管理员）' },
  digest: {
    en: "the weekly digest of last week: yours if you manage a team (alerts.owners), a named manager's, else the company's; preview shows it to you only",
    zh: '上周的每周摘要：如果你管理团队（alerts.owners）则是你团队的，或指定经理的，否则是全公司的；预览只给你看',
  },
  status: { en: 'sources, last syncs, rejected rows, data freshness and failed deliveries', zh: '数据源、最近同步、被拒绝的行、数据新鲜度和发送失败的通知' },
};

/** Examples of each subcommand, each a command to try as it stands. */
const EXAMPLES: Readonly<Record<CommandName, InLocales<HelpEntry['examples']>>> = {
  help: { en: ['/kpi help why'], zh: ['/kpi 帮助 为什么'] },
  list: { en: ['/kpi list'], zh: ['/kpi 列表'] },
  kpi: {
    en: ['/kpi win_rate', '/kpi win_rate last quarter by region', '/kpi last month won_revenue by owner', '/kpi won_revenue 2017-09 as of 2017-09-15'],
    zh: ['/kpi 赢单率', '/kpi 赢单率 上季度 按区域', '/kpi 上月 赢单收入 按负责人', '/kpi won_revenue 2017年9月 截至 2017-09-15'],
  },
  chart: { en: ['/kpi chart won_revenue last month by owner'], zh: ['/kpi 图表 赢单收入 上月 按负责人'] },
  forecast: {
    en: ['/kpi forecast won_revenue next 3 months', '/kpi forecast order_revenue next 4 weeks', '/kpi forecast won_revenue by region'],
    zh: ['/kpi 预测 赢单收入 未来3个月', '/kpi 预测 order_revenue 未来 4 周', '/kpi 预测 赢单收入 按区域'],
  },
  why: {
    en: ['/kpi why won_revenue last month', '/kpi why win_rate 2017-Q3 by owner'],
    zh: ['/kpi 为什么 赢单收入 上月', '/kpi 为什么 win_rate 2017年第3季度 按负责人'],
  },
  alerts: { en: ['/kpi alerts'], zh: ['/kpi 告警'] },
  ack: { en: ['/kpi ack 12'], zh: ['/kpi 确认 12'] },
  silence: { en: ['/kpi silence win_rate 1d quarter-end clean-up', '/kpi silence 12 4h'], zh: ['/kpi 静默 赢单率 1天 季末清理数据', '/kpi 静默 12 4小时'] },
  segments: { en: ['/kpi segments as of 2011-12-10'], zh: ['/kpi 客户分群 截至 2011-12-10'] },
  cohorts: { en: ['/kpi cohorts'], zh: ['/kpi 同期群'] },
  scorecard: { en: ['/kpi scorecard', '/kpi scorecard 2017-Q3'], zh: ['/kpi 计分卡', '/kpi 计分卡 2017年第3季度'] },
  clv_predicted: { en: ['/kpi clv_predicted', '/kpi clv_predicted as of 2011-09-30'], zh: ['/kpi 预测终身价值', '/kpi 预测终身价值 截至 2011-09-30'] },
  at_risk: { en: ['/kpi customers at risk', '/kpi customers at risk as of 2011-09-30'], zh: ['/kpi 流失风险客户', '/kpi 流失风险客户 截至 2011-09-30'] },
  target: {
    en: ['/kpi target win_rate 65% by 2018-03-31', '/kpi target won_revenue 3.5m by 2018-Q1'],
    zh: ['/kpi 目标 赢单率 65% 到 2018-03-31', '/kpi 目标 赢单收入 350万 到 2018年第1季度'],
  },
  subscribe: { en: ['/kpi subscribe #sales win_rate won_revenue'], zh: ['/kpi 订阅 #sales 赢单率 赢单收入'] },
  snooze: { en: ['/kpi snooze 12 1d', '/kpi snooze 12 sync'], zh: ['/kpi 暂停提醒 12 1天', '/kpi 暂停提醒 12 sync'] },
  unsubscribe: { en: ['/kpi unsubscribe #sales win_rate'], zh: ['/kpi 取消订阅 #sales 赢单率'] },
  digest: {
    en: ['/kpi digest preview', '/kpi digest preview for Dustin Brinkmann', '/kpi digest'],
    zh: ['/kpi 周报 预览', '/kpi 周报 预览 给 Dustin Brinkmann', '/kpi 周报'],
  },
  status: { en: ['/kpi status'], zh: ['/kpi 状态'] },
};

/** The help of each subcommand in each locale, from its syntax, summary and examples. */
const HELP_IN = Object.fromEntries(
  Object.entries(SYNTAX).map(([name, syntax]) => [
    name,
    byLocale<HelpEntry>({ syntax, summary: SUMMARY[name as CommandName], examples: EXAMPLES[name as CommandName] }),
  ]),
) as Readonly<Record<CommandName, InLocales<HelpEntry>>>;

/** How the Chinese help refers to each subcommand: its Chinese keyword (the `<kpi>` form keeps its name). */
const ZH_NAMES: Readonly<Record<CommandName, string>> = {
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

/** What a `missing` problem lacks. */
const WHAT: Readonly<Record<Extract<ParseProblem, { kind: 'missing' }>['what'], InLocales<string>>> = {
  kpi: { en: 'which KPI', zh: '哪个 KPI' },
  alert: { en: 'the alert id', zh: '告警编号' },
  duration: { en: 'how long (30m, 4h, 1d, 2w)', zh: '时长（30m、4小时、1天、2周）' },
  value: { en: 'the target value', zh: '目标值' },
  deadline: { en: 'the deadline (`by 2018-03-31`)', zh: '截止日期（`到 2018-03-31`）' },
  channel: { en: 'the channel (#sales)', zh: '频道（#sales）' },
  kpis: { en: 'at least one KPI', zh: '至少一个 KPI' },
  dimension: { en: 'the dimension after `by`', zh: '“按”后面的维度' },
  date: { en: 'the date after `as of`', zh: '“截至”后面的日期' },
  subject: { en: 'a KPI or an alert id', zh: '一个 KPI 或告警编号' },
};

/** "Did you mean …?" after a word crm-pulse does not know, when it has a close match. */
const SUGGESTION: InLocales<(s: string | undefined) => string> = {
  en: (s) => (s ? ` Did you mean \`${s}\`?` : ''),
  zh: (s) => (s ? `你是不是想输入 \`${s}\`？` : ''),
};

/** What the parser found wrong, per kind of problem, in every locale. */
const PROBLEMS: { readonly [K in ParseProblem['kind']]: InLocales<(p: Extract<ParseProblem, { kind: K }>) => string> } = {
  unknown_word: {
    en: (p) => `I don't know \`${p.word}\`: it is neither a subcommand nor a KPI.${SUGGESTION.en(p.suggestion)}`,
    zh: (p) => `无法识别 \`${p.word}\`：它既不是子命令也不是 KPI。${SUGGESTION.zh(p.suggestion)}`,
  },
  ambiguous_kpi: {
    en: (p) => `\`${p.word}\` could be several KPIs: ${p.candidates.map((c) => `\`${c}\``).join(', ')}. Say which one.`,
    zh: (p) => `\`${p.word}\` 可能指多个 KPI：${p.candidates.map((c) => `\`${c}\``).join('、')}。请指明是哪一个。`,
  },
  unknown_kpi: {
    en: (p) => `There is no KPI \`${p.word}\`.${SUGGESTION.en(p.suggestion)}`,
    zh: (p) => `没有名为 \`${p.word}\` 的 KPI。${SUGGESTION.zh(p.suggestion)}`,
  },
  missing: { en: (p) => `Missing: ${WHAT[p.what].en}.`, zh: (p) => `缺少${WHAT[p.what].zh}。` },
  bad_period: {
    en: (p) =>
      `I can't read the period \`${p.text}\`${p.detail ? ` (${p.detail})` : ''}. Try: ${PERIOD_EXAMPLES.slice(0, 13)
        .map((e) => `\`${e}\``)
        .join(', ')}.`,
    zh: (p) =>
      `无法识别时间段 \`${p.text}\`。可以这样写：今天、昨天、本周、上周、本月、上个月、本季度、上季度、今年、去年、2017年9月、2017年第3季度、2017年第36周、2017-09、2017-Q3。`,
  },
  bad_dimension: {
    en: (p) =>
      `${p.kpi} cannot be broken down by \`${p.word}\`.${SUGGESTION.en(p.suggestion)} It can be by: ${p.known.map((d) => `\`${d}\``).join(', ') || 'nothing'}.`,
    zh: (p) =>
      `${p.kpi} 不能按 \`${p.word}\` 分解。${SUGGESTION.zh(p.suggestion)}可用的维度：${p.known.map((d) => `${dimensionName.zh(d)}（${d}）`).join('、') || '无'}。`,
  },
  bad_alert_id: {
    en: (p) => `\`${p.word}\` is not an alert id: use the number \`/kpi alerts\` shows, e.g. \`12\`.`,
    zh: (p) => `\`${p.word}\` 不是告警编号：请使用 \`/kpi 告警\` 中显示的数字，例如 \`12\`。`,
  },
  bad_duration: {
    en: (p) => `\`${p.word}\` is not a duration: write a number and a unit, e.g. \`30m\`, \`4h\`, \`1d\`, \`2w\`.`,
    zh: (p) => `\`${p.word}\` 不是时长：请写数字加单位，例如 \`30分钟\`、\`4小时\`、\`1天\`、\`2周\`（或 30m、4h、1d、2w）。`,
  },
  bad_value: {
    en: (p) =>
      p.percent
        ? `\`${p.word}\` is not a share: write \`65%\` or \`0.65\`.`
        : `\`${p.word}\` is not a number: write e.g. \`2500\`, \`3,200,000\`, \`3.2m\` or \`150k\`.`,
    zh: (p) => (p.percent ? `\`${p.word}\` 不是比例：请写 \`65%\` 或 \`0.65\`。` : `\`${p.word}\` 不是数字：例如 \`2500\`、\`3,200,000\`、\`320万\`。`),
  },
  past_deadline: {
    en: (p) => `The deadline ${p.date} has passed: a target needs a date in the future.`,
    zh: (p) => `截止日期 ${p.date} 已经过去：目标需要一个将来的日期。`,
  },
  unexpected: { en: (p) => `I don't know what to do with \`${p.words}\`.`, zh: (p) => `不明白 \`${p.words}\` 是什么意思。` },
  bad_channel: { en: (p) => `\`${p.word}\` is not a channel: write it as \`#sales\`.`, zh: (p) => `\`${p.word}\` 不是频道：请写成 \`#sales\`。` },
  long_reason: {
    en: (p) => `The reason is ${p.length} characters long; at most ${p.max} are kept. Shorten it.`,
    zh: (p) => `原因有 ${p.length} 个字符，最多 ${p.max} 个。请缩短。`,
  },
  far_deadline: {
    en: (p) => `The deadline ${p.date} is too far ahead: a target's deadline can be at most ${p.latest}.`,
    zh: (p) => `截止日期 ${p.date} 太远了：目标的截止日期最晚为 ${p.latest}。`,
  },
  unknown_channel: {
    en: (p) =>
      `There is no channel \`${p.word}\` that crm-pulse can see: pick it from Slack's channel list (\`#\` then its name), and invite @crm-pulse there.`,
    zh: (p) => `crm-pulse 看不到名为 \`${p.word}\` 的频道：请从 Slack 的频道列表中选择（输入 \`#\` 再输入名称），并把 @crm-pulse 邀请到该频道。`,
  },
};

/** The words of a problem in a locale. */
const problemIn =
  (locale: keyof InLocales<unknown>) =>
  (p: ParseProblem): string =>
    (PROBLEMS[p.kind][locale] as (p: ParseProblem) => string)(p);

/** The help and usage words of /kpi: the help of each subcommand and what a parse problem says. */
export const USAGE_MESSAGES = {
  problem: { en: problemIn('en'), zh: problemIn('zh') },
  helpTitle: { en: 'crm-pulse: /kpi commands', zh: 'crm-pulse：/kpi 命令' },
  helpIntro: {
    en: 'Ask about any KPI in the catalog (`/kpi list`). Answers are visible only to you unless you add `post`.',
    zh: '可以查询目录中的任意 KPI（`/kpi 列表`）。回答默认只有你能看到，末尾加 `发布`（或 `post`）则发到频道。',
  },
  help: { en: (name) => HELP_IN[name].en, zh: (name) => HELP_IN[name].zh },
  helpFooter: {
    en: `Add \`post\` at the end to share the answer in the channel. Periods: ${PERIOD_EXAMPLES.slice(0, 13).join(', ')}, or in Chinese: 上周, 2017年9月. Dimensions: region, owner, manager, product, sector, country, channel…`,
    zh: '末尾加 `发布` 把回答分享到频道。时间段：今天、昨天、本周、上周、本月、上个月、本季度、上季度、今年、去年、2017年9月、2017年第3季度、2017-09、last week。维度：区域、负责人、经理、产品、行业、国家、渠道……',
  },
  seeHelp: {
    en: (name) => `Type \`/kpi help${name === 'help' ? '' : ` ${name}`}\` for the details.`,
    zh: (name) => `输入 \`/kpi 帮助${name === 'help' ? '' : ` ${ZH_NAMES[name]}`}\` 查看详情。`,
  },
} satisfies Partial<Catalog<MessageWords>>;
