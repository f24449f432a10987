import type { Catalog, InLocales } from '../domain/locale.ts';
import type { CommandName } from './command.ts';
import type { HelpEntry, MessageWords, ParseProblem } from './messages.ts';
import { byLocale } from '../lib/by-locale.ts';
import helpText from './help-text.json' with { type: 'json' };
import { PERIOD_EXAMPLES } from './parse-period-text.ts';
import { dimensionName } from './word-names.ts';

/**
 * How to write each subcommand, what it answers, and examples to try as they stand, in every
 * locale: a data file (help-text.json), checked here against the subcommands and HelpEntry.
 */
const HELP_TEXT: Readonly<Record<CommandName, { readonly [K in keyof HelpEntry]: InLocales<HelpEntry[K]> }>> = helpText;

/** The help of each subcommand in each locale, from its syntax, summary and examples. */
const HELP_IN = Object.fromEntries(Object.entries(HELP_TEXT).map(([name, entry]) => [name, byLocale<HelpEntry>(entry)])) as Readonly<
  Record<CommandName, InLocales<HelpEntry>>
>;

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
