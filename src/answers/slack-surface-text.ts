import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';

/** The words of Slack's own surfaces: the App Home tab and the Silence… modal of an alert card. */
export interface SlackSurfaceText {
  readonly homeTitle: string;
  /** the heading of the viewer's team KPIs, with their CRM owner name */
  homeTeam(owner: string): string;
  /** to a viewer the config does not map to a CRM owner */
  readonly homeMapOwner: string;
  homeOpenAlerts(n: number): string;
  readonly digestHeader: string;
  /** a digest that goes out to managers: the viewer's team */
  digestToTeam(manager: string): string;
  /** a digest with no send time in the next 35 days */
  readonly digestNotSoon: string;
  readonly digestHint: string;
  readonly noDigest: string;
  readonly silenceTitle: string;
  readonly silenceSubmit: string;
  readonly silenceFor: string;
  readonly silenceReason: string;
  /** a duration in the modal's menu: 1 hour, 4 hours, 1 day, 3 days… */
  hours(h: number): string;
}

/** The words, each in every locale side by side. */
const CATALOG: Catalog<SlackSurfaceText> = {
  homeTitle: { en: 'crm-pulse at a glance', zh: 'crm-pulse 概览' },
  homeTeam: { en: (owner) => `*Your team* (CRM owner: ${owner})`, zh: (owner) => `*你的团队*（CRM 负责人：${owner}）` },
  homeMapOwner: {
    en: "Map your Slack user to your CRM owner name (alerts.owners in the config) to see your team's KPIs here.",
    zh: '把你的 Slack 用户映射到 CRM 负责人（配置 alerts.owners），这里就会显示你团队的 KPI。',
  },
  homeOpenAlerts: { en: (n) => `*Open alerts (${n})*`, zh: (n) => `*未解决的告警（${n}）*` },
  digestHeader: { en: '*Next weekly digest*', zh: '*下一期每周摘要*' },
  digestToTeam: { en: (manager) => `your team (${manager})`, zh: (manager) => `你的团队(${manager})` },
  digestNotSoon: { en: 'not within 35 days', zh: '35 天内不会发送' },
  digestHint: { en: '`/kpi digest preview` shows you yours now.', zh: '`/kpi 周报 预览` 现在就给你看你的摘要。' },
  noDigest: { en: 'No weekly digest is configured (digests: in the config).', zh: '没有配置每周摘要(配置文件中的 digests:)。' },
  silenceTitle: { en: 'Silence alert', zh: '静默告警' },
  silenceSubmit: { en: 'Silence', zh: '静默' },
  silenceFor: { en: 'For', zh: '时长' },
  silenceReason: { en: 'Reason', zh: '原因' },
  hours: {
    en: (h) => (h < 24 ? `${h} ${h === 1 ? 'hour' : 'hours'}` : `${h / 24} ${h === 24 ? 'day' : 'days'}`),
    zh: (h) => (h < 24 ? `${h} 小时` : `${h / 24} 天`),
  },
};

const BY_LOCALE = byLocale(CATALOG);

/** The words of Slack's own surfaces in a language. */
export function slackSurfaceText(locale: Locale): SlackSurfaceText {
  return BY_LOCALE[locale];
}
