import type { Catalog } from '../domain/locale.ts';
import type { MessageWords } from './messages.ts';
import { grainName } from './word-names.ts';

/** The words of alerts, silences, targets, subscriptions, refusals, data status and errors. */
export const ADMIN_MESSAGES = {
  alertsHeader: { en: (open) => `Open alerts: ${open}`, zh: (open) => `未关闭的告警：${open}` },
  noOpenAlerts: { en: 'No open alerts. ✅', zh: '没有未关闭的告警。✅' },
  alertColumns: {
    en: ['id', 'severity', 'KPI', 'series', 'since', 'last value', 'acknowledged'],
    zh: ['编号', '级别', 'KPI', '序列', '开始于', '最新值', '已确认'],
  },
  silencesHeader: { en: (n) => `Silences in force: ${n}`, zh: (n) => `生效中的静默：${n}` },
  silenceColumns: { en: ['id', 'matches', 'until', 'by', 'reason'], zh: ['编号', '匹配', '直到', '设置人', '原因'] },
  untilNextSync: { en: 'next sync', zh: '下次同步' },
  threads: { en: (id, where) => `#${id}: ${where}`, zh: (id, where) => `#${id}：${where}` },
  alertsHint: {
    en: '`/kpi ack <id>` acknowledges an alert; `/kpi silence <kpi|id> <duration> [reason]` mutes alerts.',
    zh: '`/kpi 确认 <编号>` 确认告警；`/kpi 静默 <KPI|编号> <时长> [原因]` 静默告警。',
  },
  acknowledgedBy: { en: (user) => `by ${user}`, zh: (user) => `由 ${user}` },
  acked: {
    en: (id, what) => `👀 Alert ${id} (${what}) acknowledged: reminders stop, the alert stays open until it resolves.`,
    zh: (id, what) => `👀 告警 ${id}（${what}）已确认：不再提醒，告警在恢复前保持打开。`,
  },
  noEpisode: {
    en: (id) => `There is no alert ${id}. \`/kpi alerts\` lists the open ones.`,
    zh: (id) => `没有编号为 ${id} 的告警。\`/kpi 告警\` 列出未关闭的告警。`,
  },
  episodeEnded: {
    en: (id, at) => `Alert ${id} resolved at ${at}; there is nothing to acknowledge or silence.`,
    zh: (id, at) => `告警 ${id} 已于 ${at} 恢复，无需确认或静默。`,
  },
  silenced: {
    en: (what, until, id) => `🔕 ${what} silenced until ${until} (silence ${id}).`,
    zh: (what, until, id) => `🔕 ${what}已静默至 ${until}（静默 ${id}）。`,
  },
  silenceKpi: { en: (title) => `Alerts on ${title}`, zh: (title) => `${title} 的告警` },
  silenceEpisode: { en: (id) => `Alert ${id}`, zh: (id) => `告警 ${id} ` },
  defaultSilenceReason: { en: (user) => `silenced with /kpi by ${user}`, zh: (user) => `由 ${user} 通过 /kpi 静默` },
  snoozed: { en: (id, until) => `💤 Alert ${id} snoozed until ${until}.`, zh: (id, until) => `💤 告警 ${id} 已暂停提醒至 ${until}。` },
  targetSet: {
    en: (title, value, deadline, grain, from, replaced) =>
      `🎯 Target set: ${title} ${value} by ${deadline}, read per ${grain}; progress counts from ${from ?? 'the same period a year before'}.${replaced ? ` It replaces ${replaced}.` : ''}`,
    zh: (title, value, deadline, grain, from, replaced) =>
      `🎯 目标已设定：${title} 在 ${deadline} 前达到 ${value}，按${grain}计算；进度从 ${from ?? '上年同期'} 起算。${replaced ? `替换了原目标 ${replaced}。` : ''}`,
  },
  grain: grainName,
  subscribed: {
    en: (channel, added, already) => `🔔 ${channel} now receives the alerts of ${added || 'no new KPI'}.${already ? ` Already subscribed: ${already}.` : ''}`,
    zh: (channel, added, already) => `🔔 ${channel} 现在会收到 ${added || '（没有新的 KPI）'} 的告警。${already ? `已订阅：${already}。` : ''}`,
  },
  unsubscribed: {
    en: (channel, removed, absent) =>
      `🔕 ${channel} no longer receives the alerts of ${removed || 'any of these KPIs'} through a subscription.${absent ? ` Not subscribed: ${absent}.` : ''}`,
    zh: (channel, removed, absent) => `🔕 ${channel} 不再通过订阅收到 ${removed || '这些 KPI'} 的告警。${absent ? `未订阅：${absent}。` : ''}`,
  },
  refused: {
    en: (name, admins) =>
      `Sorry, only admins can run \`/kpi ${name}\`.${admins.length ? ` Ask ${admins.map((a) => `<@${a}>`).join(', ')}.` : ' No admin is configured yet (slack.admins in the config).'}`,
    zh: (name, admins) =>
      `抱歉，只有管理员可以运行 \`/kpi ${name}\`。${admins.length ? `请联系 ${admins.map((a) => `<@${a}>`).join('、')}。` : '尚未配置管理员（配置中的 slack.admins）。'}`,
  },
  statusHeader: { en: 'Data status', zh: '数据状态' },
  statusColumns: { en: ['source', 'last sync', 'read', 'stored', 'rejected'], zh: ['数据源', '最近同步', '读取', '存储', '拒绝'] },
  rejects: {
    en: (source, total, kinds) => `${source}: ${total} rejected rows (${kinds})`,
    zh: (source, total, kinds) => `${source}：${total} 行被拒绝（${kinds}）`,
  },
  leftoverSources: {
    en: (sources, first) =>
      `:warning: The database holds data of sources not in the config, and every KPI still counts it: ${sources}. Remove it with \`crm-pulse remove-source ${first}\`, or add the source back to the config.`,
    zh: (sources, first) =>
      `:warning: 数据库中有配置里已没有的数据源的数据，所有 KPI 仍在计入：${sources}。可用 \`crm-pulse remove-source ${first}\` 删除，或把该数据源加回配置。`,
  },
  freshness: {
    en: (latest, days) =>
      latest === undefined ? 'No records yet.' : `Latest record: ${latest}${days !== undefined ? ` (${days === 0 ? 'today' : `${days} days ago`})` : ''}.`,
    zh: (latest, days) =>
      latest === undefined ? '还没有记录。' : `最新记录：${latest}${days !== undefined ? `（${days === 0 ? '今天' : `${days} 天前`}）` : ''}。`,
  },
  failedDeliveries: { en: (n) => `⚠️ ${n} alert notifications failed for good:`, zh: (n) => `⚠️ ${n} 条告警通知最终发送失败：` },
  noData: {
    en: 'No data yet: run `crm-pulse ingest --demo` or sync a configured source.',
    zh: '还没有数据：运行 `crm-pulse ingest --demo` 或同步一个已配置的数据源。',
  },
  error: { en: (message) => `⚠️ ${message}`, zh: (message) => `⚠️ 出错了：${message}` },
  storageUnavailable: {
    en: 'Storage is unavailable right now: the database did not answer. crm-pulse reconnects by itself; try again in a minute.',
    zh: '存储暂时不可用：数据库没有响应。crm-pulse 会自动重新连接，请一分钟后再试。',
  },
  internalError: {
    en: (id) => `Something went wrong on crm-pulse's side and nothing was changed. If it happens again, give your admin the error id \`${id}\`.`,
    zh: (id) => `crm-pulse 内部出错，没有做任何更改。如果再次发生，请把错误编号 \`${id}\` 告诉管理员。`,
  },
  busy: {
    en: 'crm-pulse is busy answering other questions right now and did not take this one. Try again in a minute.',
    zh: 'crm-pulse 正忙于回答其他问题，没有接收这个请求。请一分钟后再试。',
  },
} satisfies Partial<Catalog<MessageWords>>;
