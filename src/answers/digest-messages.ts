import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale, nameLookup } from '../lib/by-locale.ts';

/** The words of the weekly digest in one language. */
export interface DigestMessages {
  title(scope: string, week: string): string;
  team(manager: string): string;
  company: string;
  stale(what: string): string;
  staleSource(name: string, when: string): string;
  noRecords(latest: string): string;
  intro(count: number, agents: number | undefined, previous: string): string;
  columns(companyTarget: boolean): readonly string[];
  signal(z: number | null): string;
  onTrack(on: boolean | null): string;
  targetBy(target: string, deadline: string): string;
  forecastHeader: string;
  /** "Won revenue is forecast to miss 2018-Q1 by 12%, 70% likely" */
  forecastMiss(kpi: string, period: string, percent: string, likely: string): string;
  moversHeader: string;
  mover(kpi: string, change: string, driver: string | undefined): string;
  driver(dimension: string, key: string, effect: string): string;
  dimension(d: string): string;
  alertsHeader(n: number): string;
  noAlerts: string;
  alertLine(severity: string, kpi: string, series: string, since: string, where: string): string;
  scorecard(period: string, composite: string, perspectives: string): string;
  perspective(p: string): string;
  footer(sources: string, latest: string, built: string): string;
  synced(name: string, when: string): string;
  never: string;
  chartAlt(n: number): string;
  chartTitle: string;
  empty: string;
  failedDigests(n: number): string;
  /** the Signal of a week whose value stands on too small a sample */
  lowSignal(n: string, min: string): string;
  /** in a team digest, after the company target: whether the team's value meets its level */
  teamMeets(meets: boolean | null): string;
  /** under the table: what n and * mean */
  sampleNote(min: string): string;
}

/** A scorecard perspective's name in the digest. */
const PERSPECTIVES = nameLookup({
  financial: { en: 'Financial', zh: '财务' },
  customer: { en: 'Customer', zh: '客户' },
  internal_process: { en: 'Internal process', zh: '内部流程' },
  learning_growth: { en: 'Learning & growth', zh: '学习与成长' },
});

/** How the digest names the dimension of a driver: the agents of a team are its owners in the CRM. */
const DIMENSIONS = nameLookup({
  owner: { en: 'agent', zh: '销售' },
  region: { zh: '区域' },
  office: { zh: '区域' },
  product: { zh: '产品' },
  sector: { zh: '行业' },
  country: { zh: '国家' },
  channel: { zh: '渠道' },
  category: { zh: '类别' },
  priority: { zh: '优先级' },
  campaign: { zh: '活动' },
});

/** The digest's words, each in every locale side by side. */
const CATALOG: Catalog<DigestMessages> = {
  title: { en: (scope, week) => `Weekly digest · ${scope} · ${week}`, zh: (scope, week) => `每周摘要 · ${scope} · ${week}` },
  team: { en: (manager) => `${manager}'s team`, zh: (manager) => `${manager} 的团队` },
  company: { en: 'company', zh: '全公司' },
  stale: {
    en: (what) => `:warning: *The data may be out of date:* ${what}. The numbers below are not current.`,
    zh: (what) => `:warning: *数据可能已过时：* ${what}。以下数字不是最新的。`,
  },
  staleSource: { en: (name, when) => `${name} last synced ${when}`, zh: (name, when) => `${name} 最近同步于 ${when}` },
  noRecords: { en: (latest) => `no record falls in this week (the latest is from ${latest})`, zh: (latest) => `本周没有任何记录（最新记录为 ${latest}）` },
  intro: {
    en: (count, agents, previous) => `${count} KPIs${agents === undefined ? '' : ` of ${agents} agents`}, most unusual first, compared with ${previous}.`,
    zh: (count, agents, previous) => `${count} 个 KPI${agents === undefined ? '' : `（${agents} 名销售）`}，按异常程度排序，与${previous}比较。`,
  },
  columns: {
    en: (companyTarget) => ['KPI', 'Week', 'n', 'vs last week', companyTarget ? 'Company target' : 'Target', 'Signal'],
    zh: (companyTarget) => ['KPI', '本周', '样本 n', '较上周', companyTarget ? '公司目标' : '目标', '信号'],
  },
  signal: {
    en: (z) =>
      z === null ? '–' : `${Math.abs(z) >= 3 ? 'very unusual' : Math.abs(z) >= 2 ? 'unusual' : 'usual'} (z ${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)})`,
    zh: (z) => (z === null ? '–' : `${Math.abs(z) >= 3 ? '非常异常' : Math.abs(z) >= 2 ? '异常' : '正常'} (z ${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(1)})`),
  },
  onTrack: { en: (on) => (on === null ? '' : on ? ' on track' : ' off track'), zh: (on) => (on === null ? '' : on ? ' 进度正常' : ' 进度落后') },
  targetBy: { en: (target, deadline) => `${target} by ${deadline}`, zh: (target, deadline) => `${deadline} 前 ${target}` },
  forecastHeader: { en: '*Forecast against targets*', zh: '*目标预测*' },
  forecastMiss: {
    en: (kpi, period, percent, likely) => `• ${kpi} is forecast to miss ${period} by ${percent}%, ${likely}% likely`,
    zh: (kpi, period, percent, likely) => `• ${kpi}预计 ${period} 未达目标 ${percent}%，可能性 ${likely}%`,
  },
  moversHeader: { en: '*Top movers*', zh: '*变化最大*' },
  mover: {
    en: (kpi, change, driver) => `• *${kpi}* ${change}${driver ? ` — ${driver}` : ''}`,
    zh: (kpi, change, driver) => `• *${kpi}* ${change}${driver ? ` — ${driver}` : ''}`,
  },
  driver: {
    en: (dimension, key, effect) => `mostly ${dimension} *${key}* (${effect})`,
    zh: (dimension, key, effect) => `主要来自${dimension} *${key}*（${effect}）`,
  },
  dimension: DIMENSIONS,
  alertsHeader: { en: (n) => `*Open alerts (${n})*`, zh: (n) => `*未关闭的告警（${n}）*` },
  noAlerts: { en: 'No open alerts.', zh: '没有未关闭的告警。' },
  alertLine: {
    en: (severity, kpi, series, since, where) => `• ${severity} ${kpi}${series ? ` · ${series}` : ''} since ${since}${where ? ` · ${where}` : ''}`,
    zh: (severity, kpi, series, since, where) => `• ${severity} ${kpi}${series ? ` · ${series}` : ''} 自 ${since}${where ? ` · ${where}` : ''}`,
  },
  scorecard: {
    en: (period, composite, perspectives) => `*Scorecard ${period}:* ${composite}/100${perspectives ? ` · ${perspectives}` : ''}`,
    zh: (period, composite, perspectives) => `*平衡计分卡 ${period}：* ${composite}/100${perspectives ? ` · ${perspectives}` : ''}`,
  },
  perspective: PERSPECTIVES,
  footer: {
    en: (sources, latest, built) => `Data: ${sources} · latest record ${latest} · built ${built}`,
    zh: (sources, latest, built) => `数据：${sources} · 最新记录 ${latest} · 生成于 ${built}`,
  },
  synced: { en: (name, when) => `${name} synced ${when}`, zh: (name, when) => `${name} 同步于 ${when}` },
  never: { en: 'never', zh: '从未' },
  chartAlt: { en: (n) => `Small multiples of ${n} KPIs over the last 8 weeks`, zh: (n) => `${n} 个 KPI 最近 8 周的小多图` },
  chartTitle: { en: 'Last 8 weeks', zh: '最近 8 周' },
  empty: {
    en: 'No KPI of this digest splits by manager, so there is nothing about this team to show.',
    zh: '此摘要中没有可按经理拆分的 KPI，因此没有关于该团队的内容。',
  },
  failedDigests: { en: (n) => `⚠️ ${n} weekly digests failed for good:`, zh: (n) => `⚠️ ${n} 份每周摘要最终发送失败：` },
  lowSignal: { en: (n, min) => `small sample (n ${n} < ${min})`, zh: (n, min) => `样本少（n ${n} < ${min}）` },
  teamMeets: {
    en: (meets) => (meets === null ? ' (company-wide; not judged for the team)' : meets ? ' · team meets it' : ' · team below it'),
    zh: (meets) => (meets === null ? '（全公司目标，不评判团队）' : meets ? ' · 团队已达到' : ' · 团队未达到'),
  },
  sampleNote: {
    en: (min) =>
      `n: the sample behind the week's value (answers, closed deals, customers). * n under ${min}: low confidence, never ranked as unusual nor judged against a target.`,
    zh: (min) => `样本 n：本周数值所依据的样本（回答、结单商机、客户）。* 样本 n 少于 ${min}：置信度低，不列为异常，也不据此判断目标进度。`,
  },
};

const BY_LOCALE = byLocale(CATALOG);

/** The digest's words in a language. */
export function digestMessages(locale: Locale): DigestMessages {
  return BY_LOCALE[locale];
}
