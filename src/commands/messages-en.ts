import type { CommandName } from './command.ts';
import type { HelpEntry, Messages, ParseProblem } from './messages.ts';
import { PERIOD_EXAMPLES } from './parse-period-text.ts';

/** The KPI engine's reasons for a missing value, in words a sales manager reads without a formula. */
function reasonText(r: string): string {
  if (r === 'division by zero') return 'nothing to divide by: no records for it in this period';
  if (r.startsWith('data only from ')) return `${r}, so it cannot be compared like for like`;
  const metric = /^no value for metric '(.+)'$/.exec(r);
  return metric ? `no records for ${metric[1]} in this period` : r;
}
const HELP: Readonly<Record<CommandName, HelpEntry>> = {
  help: { syntax: '/kpi help [subcommand]', summary: 'this help, or the help of one subcommand', examples: ['/kpi help why'] },
  list: { syntax: '/kpi list', summary: 'every KPI with its latest value', examples: ['/kpi list'] },
  kpi: {
    syntax: '/kpi <kpi> [period] [by <dimension>] [as of <date>]',
    summary: 'the value, its change against the previous period and last year, its target progress, and a trend chart; `by` adds a breakdown',
    examples: ['/kpi win_rate', '/kpi win_rate last quarter by region', '/kpi last month won_revenue by owner', '/kpi won_revenue 2017-09 as of 2017-09-15'],
  },
  chart: { syntax: '/kpi chart <kpi> [period] [by <dimension>]', summary: 'the chart alone', examples: ['/kpi chart won_revenue last month by owner'] },
  forecast: {
    syntax: '/kpi forecast <kpi> [by <dimension>] [next <n> days|weeks|months]',
    summary: 'the forecast by exponential smoothing (model chosen by AICc), with 80% and 95% intervals and a chart',
    examples: ['/kpi forecast won_revenue next 3 months', '/kpi forecast order_revenue next 4 weeks', '/kpi forecast won_revenue by region'],
  },
  why: {
    syntax: '/kpi why <kpi> [period] [by <dimension>]',
    summary: 'ranks regions, owners, products, sectors… by their contribution to the change from the previous period',
    examples: ['/kpi why won_revenue last month', '/kpi why win_rate 2017-Q3 by owner'],
  },
  alerts: { syntax: '/kpi alerts', summary: 'open alerts, with links to their threads, and silences in force', examples: ['/kpi alerts'] },
  ack: { syntax: '/kpi ack <alert id>', summary: 'acknowledge an alert: reminders stop (admins)', examples: ['/kpi ack 12'] },
  silence: {
    syntax: '/kpi silence <kpi|alert id> <duration> [reason]',
    summary: 'mute the alerts of a KPI, or one alert, for 30m, 4h, 1d, 2w… (admins)',
    examples: ['/kpi silence win_rate 1d quarter-end clean-up', '/kpi silence 12 4h'],
  },
  segments: { syntax: '/kpi segments [as of <date>]', summary: 'RFM segments of the customers', examples: ['/kpi segments as of 2011-12-10'] },
  cohorts: { syntax: '/kpi cohorts [as of <date>]', summary: 'monthly cohort retention', examples: ['/kpi cohorts'] },
  scorecard: {
    syntax: '/kpi scorecard [period]',
    summary: 'the weighted Balanced Scorecard against the targets',
    examples: ['/kpi scorecard', '/kpi scorecard 2017-Q3'],
  },
  clv_predicted: {
    syntax: '/kpi clv_predicted [as of <date>]',
    summary: 'predicted customer lifetime value over the next 12 months (BG/NBD and Gamma-Gamma), total and per RFM segment',
    examples: ['/kpi clv_predicted', '/kpi clv_predicted as of 2011-09-30'],
  },
  at_risk: {
    syntax: '/kpi customers at risk [as of <date>]',
    summary: "top-value customers the model thinks have stopped buying (low P(alive)), beside RFM's At Risk and Can't Lose",
    examples: ['/kpi customers at risk', '/kpi customers at risk as of 2011-09-30'],
  },
  target: {
    syntax: '/kpi target <kpi> <value> by <date>',
    summary: 'set a SMART target; it replaces the configured one (admins)',
    examples: ['/kpi target win_rate 65% by 2018-03-31', '/kpi target won_revenue 3.5m by 2018-Q1'],
  },
  subscribe: {
    syntax: '/kpi subscribe <#channel> <kpi…>',
    summary: "also send these KPIs' alerts to a channel (admins)",
    examples: ['/kpi subscribe #sales win_rate won_revenue'],
  },
  snooze: {
    syntax: '/kpi snooze <alert id> <duration|sync>',
    summary: 'mute one alert for 1h, 1d… or until the next data sync (admins)',
    examples: ['/kpi snooze 12 1d', '/kpi snooze 12 sync'],
  },
  unsubscribe: {
    syntax: '/kpi unsubscribe <#channel> <kpi…>',
    summary: 'stop what subscribe started (admins)',
    examples: ['/kpi unsubscribe #sales win_rate'],
  },
  digest: {
    syntax: '/kpi digest [preview] [for <manager>]',
    summary: "the weekly digest of last week: yours if you manage a team (alerts.owners), a named manager's, else the company's; preview shows it to you only",
    examples: ['/kpi digest preview', '/kpi digest preview for Dustin Brinkmann', '/kpi digest'],
  },
  status: { syntax: '/kpi status', summary: 'sources, last syncs, rejected rows, data freshness and failed deliveries', examples: ['/kpi status'] },
};

const DIMENSIONS: Readonly<Record<string, string>> = {};
const AGGREGATES: Readonly<Record<string, string>> = { avg: 'an average', median: 'a median', percentile: 'a percentile' };
const SEVERITY: Readonly<Record<string, string>> = { warning: 'warning', critical: 'critical' };
const PERSPECTIVES: Readonly<Record<string, string>> = {
  financial: 'Financial',
  customer: 'Customer',
  internal_process: 'Internal process',
  learning_growth: 'Learning and growth',
};
const WHAT: Readonly<Record<string, string>> = {
  kpi: 'which KPI',
  alert: 'the alert id',
  duration: 'how long (30m, 4h, 1d, 2w)',
  value: 'the target value',
  deadline: 'the deadline (`by 2018-03-31`)',
  channel: 'the channel (#sales)',
  kpis: 'at least one KPI',
  dimension: 'the dimension after `by`',
  date: 'the date after `as of`',
  subject: 'a KPI or an alert id',
};

const quoteSuggestion = (s: string | undefined) => (s ? ` Did you mean \`${s}\`?` : '');

function problem(p: ParseProblem): string {
  switch (p.kind) {
    case 'unknown_word':
      return `I don't know \`${p.word}\`: it is neither a subcommand nor a KPI.${quoteSuggestion(p.suggestion)}`;
    case 'ambiguous_kpi':
      return `\`${p.word}\` could be several KPIs: ${p.candidates.map((c) => `\`${c}\``).join(', ')}. Say which one.`;
    case 'unknown_kpi':
      return `There is no KPI \`${p.word}\`.${quoteSuggestion(p.suggestion)}`;
    case 'missing':
      return `Missing: ${WHAT[p.what]}.`;
    case 'bad_period':
      return `I can't read the period \`${p.text}\`${p.detail ? ` (${p.detail})` : ''}. Try: ${PERIOD_EXAMPLES.slice(0, 13)
        .map((e) => `\`${e}\``)
        .join(', ')}.`;
    case 'bad_dimension':
      return `${p.kpi} cannot be broken down by \`${p.word}\`.${quoteSuggestion(p.suggestion)} It can be by: ${p.known.map((d) => `\`${d}\``).join(', ') || 'nothing'}.`;
    case 'bad_alert_id':
      return `\`${p.word}\` is not an alert id: use the number \`/kpi alerts\` shows, e.g. \`12\`.`;
    case 'bad_duration':
      return `\`${p.word}\` is not a duration: write a number and a unit, e.g. \`30m\`, \`4h\`, \`1d\`, \`2w\`.`;
    case 'bad_value':
      return p.percent
        ? `\`${p.word}\` is not a share: write \`65%\` or \`0.65\`.`
        : `\`${p.word}\` is not a number: write e.g. \`2500\`, \`3,200,000\`, \`3.2m\` or \`150k\`.`;
    case 'past_deadline':
      return `The deadline ${p.date} has passed: a target needs a date in the future.`;
    case 'unexpected':
      return `I don't know what to do with \`${p.words}\`.`;
    case 'bad_channel':
      return `\`${p.word}\` is not a channel: write it as \`#sales\`.`;
    case 'long_reason':
      return `The reason is ${p.length} characters long; at most ${p.max} are kept. Shorten it.`;
    case 'far_deadline':
      return `The deadline ${p.date} is too far ahead: a target's deadline can be at most ${p.latest}.`;
    case 'unknown_channel':
      return `There is no channel \`${p.word}\` that crm-pulse can see: pick it from Slack's channel list (\`#\` then its name), and invite @crm-pulse there.`;
  }
}

/** The English messages. */
export const EN: Messages = {
  locale: 'en',
  kpiTitle: (kpi) => kpi.title,
  dimension: (name) => DIMENSIONS[name] ?? name,
  severity: (s) => SEVERITY[s] ?? s,
  perspective: (p) => PERSPECTIVES[p] ?? p,
  segment: (name) => name,
  tier: (name) => name,
  yes: 'yes',
  no: 'no',
  more: (n) => `… and ${n} more`,
  chartInDm: 'chart sent to your direct messages with crm-pulse',
  tableRows: (from, to, total) => `rows ${from}–${to} of ${total}`,
  tableRest: (from, to, total, inThread) => `rows ${from}–${to} of ${total}; the rest follow ${inThread ? 'in the thread' : 'in the next messages'}`,
  tableNotShown: (n) => `${n} more rows not shown: ask for a shorter period or a narrower breakdown`,
  comma: ', ',

  problem,
  helpTitle: 'crm-pulse: /kpi commands',
  helpIntro: 'Ask about any KPI in the catalog (`/kpi list`). Answers are visible only to you unless you add `post`.',
  help: (name) => HELP[name],
  helpFooter: `Add \`post\` at the end to share the answer in the channel. Periods: ${PERIOD_EXAMPLES.slice(0, 13).join(', ')}, or in Chinese: 上周, 2017年9月. Dimensions: region, owner, manager, product, sector, country, channel…`,
  seeHelp: (name) => `Type \`/kpi help${name === 'help' ? '' : ` ${name}`}\` for the details.`,

  kpiHeader: (title, period) => `${title} · ${period}`,
  toDate: (day) => `to date, through ${day}`,
  toDateLabel: (period, day) => `${period} through ${day}`,
  atDataEnd: (day) => `as of the data's end, ${day}`,
  dataEnd: (day) => `the data's end, ${day}`,
  noValue: (reason) => `no value${reason ? ` (${reasonText(reason)})` : ''}`,
  vsPrevious: 'vs previous period',
  vsLastYear: 'vs last year',
  change: (change, period, value) => `${change} (${period}: ${value})`,
  targetLabel: 'Target',
  target: (value, deadline, progress, projected, onTrack, reason) =>
    `${value} by ${deadline}` +
    (reason !== undefined
      ? ` · ${reason}`
      : `${progress ? ` · ${progress} of the way` : ''}${projected ? ` · projected ${projected}` : ''} · ${onTrack ? '✅ on track' : '⚠️ off track'}`),
  changeColumn: 'change',
  definition: (kpi) => `${kpi.key}: ${kpi.description}`,
  timeZone: (tz) => `time zone ${tz}`,
  trendAlt: (title, range, threshold, target) =>
    `Line chart of ${title} per period, ${range}${threshold ? ', with the alert threshold' : ''}${target ? ', with the target' : ''}`,
  breakdownAlt: (title, dimension, period) => `Bar chart of ${title} by ${dimension} in ${period}, with the previous period as ticks`,

  whyHeader: (title, period) => `Why ${title} moved · ${period}`,
  whySummary: (title, before, after, previous, period, change) => `${title} went from *${before}* in ${previous} to *${after}* in ${period} (*${change}*).`,
  whyNoValue: (title, period, reason) => `${title} has no value in ${period}${reason ? ` (${reasonText(reason)})` : ''}, so there is no change to explain.`,
  topDriver: (key, dimension, effect) => `Biggest driver: *${key}* (${dimension}), ${effect}.`,
  largestChange: (key, dimension, change) => `Largest change of its own: *${key}* (${dimension}), ${change}.`,
  method: (method, title, d) =>
    method === 'additive'
      ? `Method: ${title} is an additive metric (\`${d.formula}\`), so each value's contribution is its own change; they add up to the total change.`
      : method === 'shift_share'
        ? `Method: shift-share. ${title} is a ratio (\`${d.formula}\`): each value's contribution is its rate effect (the change of its own rate, weighted by its average share of \`${d.denominator}\`) plus its mix effect (its change in share, times how far its rate is from the overall one). They add up to the total change.`
        : `${title} does not split into parts that add up (${d.aggregates?.length ? `it is ${d.aggregates.map((a) => AGGREGATES[a] ?? a).join(' and ')}` : `\`${d.formula}\` is neither a sum nor a ratio of sums`}), so each value is ranked by its own change instead of a contribution.`,
  rateEffect: 'rate',
  mixEffect: 'mix',
  contribution: 'contribution',
  unexplained: (value) => `Not attributed to any value: ${value} (records counted under more than one value).`,
  noDimensions: (title) => `${title} has no dimension to break its change down by.`,
  contributionAlt: (title, dimension, previous, period) =>
    `Bar chart of each ${dimension}'s contribution to the change of ${title} from ${previous} to ${period}`,

  listHeader: (period) => `KPIs · ${period}`,
  listColumns: ['kpi', 'title', 'value', 'vs previous', 'period'],
  listComputed: (command) => `model: /kpi ${command}`,
  listContext: '`/kpi <kpi>` shows one KPI with its chart. The value is the latest period with one in the last 12 months; – means none.',

  alertsHeader: (open) => `Open alerts: ${open}`,
  noOpenAlerts: 'No open alerts. ✅',
  alertColumns: ['id', 'severity', 'KPI', 'series', 'since', 'last value', 'acknowledged'],
  silencesHeader: (n) => `Silences in force: ${n}`,
  silenceColumns: ['id', 'matches', 'until', 'by', 'reason'],
  untilNextSync: 'next sync',
  threads: (id, where) => `#${id}: ${where}`,
  alertsHint: '`/kpi ack <id>` acknowledges an alert; `/kpi silence <kpi|id> <duration> [reason]` mutes alerts.',
  acknowledgedBy: (user) => `by ${user}`,
  acked: (id, what) => `👀 Alert ${id} (${what}) acknowledged: reminders stop, the alert stays open until it resolves.`,
  noEpisode: (id) => `There is no alert ${id}. \`/kpi alerts\` lists the open ones.`,
  episodeEnded: (id, at) => `Alert ${id} resolved at ${at}; there is nothing to acknowledge or silence.`,
  silenced: (what, until, id) => `🔕 ${what} silenced until ${until} (silence ${id}).`,
  silenceKpi: (title) => `Alerts on ${title}`,
  silenceEpisode: (id) => `Alert ${id}`,
  defaultSilenceReason: (user) => `silenced with /kpi by ${user}`,
  snoozed: (id, until) => `💤 Alert ${id} snoozed until ${until}.`,

  rfmTitle: 'RFM segments',
  segmentsHeader: (customers, date) => `RFM segments of ${customers} customers · as of ${date}`,
  segmentColumns: ['segment', 'customers', 'share', 'recency (days)', 'purchases', 'avg spend'],
  tiers: (parts) => `Value tiers: ${parts}`,
  avgSpend: 'Average spend',
  noCustomers: (date) => `No customer had bought anything before ${date}.`,

  cohortTitle: 'Cohort retention',
  cohortsHeader: (n) => `Cohort retention · ${n} monthly cohorts`,
  cohortPartialShort: (through) => `* to date, through ${through}`,
  cohortPartial: (month, through) => `* ${month} is to date (data through ${through}): not a whole month, so not a drop.`,
  cohortColumns: ['cohort', 'customers'],
  month: (k) => `m${k}`,
  noCohorts: 'No purchases with a customer in the store.',
  cohortsContext: 'mN: share of the cohort buying again N months after the first purchase; the latest 24 cohorts at most.',

  scorecardTitle: 'Balanced Scorecard',
  chartAlt: (title, period) => `Chart: ${title}, ${period}`,
  scorecardHeader: (period, composite) => `Scorecard · ${period} · ${composite} / 100`,
  scorecardColumns: ['perspective / KPI', 'score', 'weight', 'value', 'target'],
  notScored: (title, reason) => `not scored: ${title} (${reason})`,
  noScorecard: 'No scorecard is configured: list KPIs per perspective under `scorecard.perspectives` in the config.',

  targetSet: (title, value, deadline, grain, from, replaced) =>
    `🎯 Target set: ${title} ${value} by ${deadline}, read per ${grain}; progress counts from ${from ?? 'the same period a year before'}.${replaced ? ` It replaces ${replaced}.` : ''}`,
  grain: (g) => g,
  subscribed: (channel, added, already) =>
    `🔔 ${channel} now receives the alerts of ${added || 'no new KPI'}.${already ? ` Already subscribed: ${already}.` : ''}`,
  unsubscribed: (channel, removed, absent) =>
    `🔕 ${channel} no longer receives the alerts of ${removed || 'any of these KPIs'} through a subscription.${absent ? ` Not subscribed: ${absent}.` : ''}`,
  refused: (name, admins) =>
    `Sorry, only admins can run \`/kpi ${name}\`.${admins.length ? ` Ask ${admins.map((a) => `<@${a}>`).join(', ')}.` : ' No admin is configured yet (slack.admins in the config).'}`,

  statusHeader: 'Data status',
  statusColumns: ['source', 'last sync', 'read', 'stored', 'rejected'],
  rejects: (source, total, kinds) => `${source}: ${total} rejected rows (${kinds})`,
  leftoverSources: (sources, first) =>
    `:warning: The database holds data of sources not in the config, and every KPI still counts it: ${sources}. Remove it with \`crm-pulse remove-source ${first}\`, or add the source back to the config.`,
  freshness: (latest, days) =>
    latest === undefined ? 'No records yet.' : `Latest record: ${latest}${days !== undefined ? ` (${days === 0 ? 'today' : `${days} days ago`})` : ''}.`,
  failedDeliveries: (n) => `⚠️ ${n} alert notifications failed for good:`,
  noData: 'No data yet: run `crm-pulse ingest --demo` or sync a configured source.',
  error: (message) => `⚠️ ${message}`,
  storageUnavailable: 'Storage is unavailable right now: the database did not answer. crm-pulse reconnects by itself; try again in a minute.',
  internalError: (id) => `Something went wrong on crm-pulse's side and nothing was changed. If it happens again, give your admin the error id \`${id}\`.`,
  busy: 'crm-pulse is busy answering other questions right now and did not take this one. Try again in a minute.',

  sample: (n, min) => `n = ${n}${min ? `, under ${min}: low confidence` : ''}`,
  sampleColumn: 'n',
  lowSampleNote: (min) => `* n under ${min}: low confidence, ranked by n and never judged against a target`,
  lowSampleTarget: (n, min) => `not judged: n = ${n}, under ${min}`,
  targetHeading: (start, period, heading) =>
    `from ${start} (${period}), ${heading === 'toward' ? 'moving toward it' : heading === 'away' ? 'moving away' : 'not moving'}`,
  targetPace: (target, grain, perGrain, pace) => `Target ${target} per ${grain} = ${pace} per ${perGrain} (pace)`,
};
