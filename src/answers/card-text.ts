import type { Catalog, Locale } from '../domain/locale.ts';
import { byLocale } from '../lib/by-locale.ts';

/** The words of alert cards (Slack's, and the note under an alert chart). */
export interface CardText {
  readonly severity: Readonly<Record<'warning' | 'critical', string>>;
  readonly event: Readonly<Record<string, string>>;
  readonly value: string;
  readonly comparedWith: string;
  readonly since: string;
  readonly notify: string;
  readonly resolved: string;
  acknowledgedBy(user: string): string;
  snoozedBy(user: string, until: string): string;
  silencedBy(user: string, until: string): string;
  readonly actions: Readonly<Record<'ack' | 'snooze' | 'why' | 'silence', string>>;
  readonly snoozeOptions: Readonly<Record<'1h' | '1d' | 'sync', string>>;
  readonly episode: string;
  readonly rule: string;
  readonly dataHealth: string;
  readonly ruleError: string;
  /** after an alert delivered late, held by quiet hours or a silence */
  heldNote(note: string): string;
  /** under a card's native chart: what Slack's chart block cannot draw, said in words */
  chartLeftOut(what: string): string;
  readonly chartThreshold: string;
  readonly chartTarget: string;
}

/** The card words, each in every locale side by side. */
const CATALOG: Catalog<CardText> = {
  severity: { en: { warning: 'Warning', critical: 'Critical' }, zh: { warning: '警告', critical: '严重' } },
  event: {
    en: { firing: 'firing', escalated: 'escalated to critical', deescalated: 'back to warning', reminder: 'still firing', resolved: 'resolved' },
    zh: { firing: '触发', escalated: '升级为严重', deescalated: '降为警告', reminder: '仍在触发', resolved: '已恢复' },
  },
  value: { en: 'Value', zh: '数值' },
  comparedWith: { en: 'Compared with', zh: '对比' },
  since: { en: 'Since', zh: '开始于' },
  notify: { en: 'Notify', zh: '通知' },
  resolved: { en: 'Resolved', zh: '已恢复' },
  acknowledgedBy: { en: (u) => `👀 Acknowledged by ${u}`, zh: (u) => `👀 ${u} 已确认` },
  snoozedBy: { en: (u, until) => `💤 Snoozed by ${u} until ${until}`, zh: (u, until) => `💤 ${u} 已暂停提醒至 ${until}` },
  silencedBy: { en: (u, until) => `🔕 Silenced by ${u} until ${until}`, zh: (u, until) => `🔕 ${u} 已静默至 ${until}` },
  actions: {
    en: { ack: 'Acknowledge', snooze: 'Snooze', why: 'Why?', silence: 'Silence…' },
    zh: { ack: '确认', snooze: '暂停提醒', why: '原因？', silence: '静默…' },
  },
  snoozeOptions: { en: { '1h': '1 hour', '1d': '1 day', sync: 'Until next data sync' }, zh: { '1h': '1 小时', '1d': '1 天', sync: '直到下次数据同步' } },
  episode: { en: 'episode', zh: '事件' },
  rule: { en: 'rule', zh: '规则' },
  dataHealth: { en: 'Data health', zh: '数据健康' },
  ruleError: { en: 'Rule error', zh: '规则错误' },
  heldNote: { en: (n) => `(delivered late, ${n})`, zh: (n) => `（延迟送达：${n}）` },
  chartLeftOut: { en: (what) => `📈 Not drawn in the chart: ${what}`, zh: (what) => `📈 图表未画出：${what}` },
  chartThreshold: { en: 'threshold', zh: '阈值' },
  chartTarget: { en: 'target', zh: '目标' },
};

const BY_LOCALE = byLocale(CATALOG);

/** The card words in a language. */
export function cardText(locale: Locale): CardText {
  return BY_LOCALE[locale];
}
