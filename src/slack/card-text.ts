import type { Locale } from '../commands/reply.ts';

/** The words of alert cards, in each language crm-pulse speaks. */
export interface CardText {
  readonly severity: Readonly<Record<'warning' | 'critical', string>>;
  readonly event: Readonly<Record<string, string>>;
  readonly value: string;
  readonly comparedWith: string;
  readonly since: string;
  readonly notify: string;
  readonly resolved: string;
  readonly acknowledgedBy: (user: string) => string;
  readonly snoozedBy: (user: string, until: string) => string;
  readonly silencedBy: (user: string, until: string) => string;
  readonly actions: Readonly<Record<'ack' | 'snooze' | 'why' | 'silence', string>>;
  readonly snoozeOptions: Readonly<Record<'1h' | '1d' | 'sync', string>>;
  readonly episode: string;
  readonly rule: string;
  readonly dataHealth: string;
  readonly ruleError: string;
  readonly heldNote: (note: string) => string;
  /** under a card's native chart: what Slack's chart block cannot draw, said in words */
  readonly chartLeftOut: (what: string) => string;
  readonly chartThreshold: string;
  readonly chartTarget: string;
}

const EN: CardText = {
  severity: { warning: 'Warning', critical: 'Critical' },
  event: { firing: 'firing', escalated: 'escalated to critical', deescalated: 'back to warning', reminder: 'still firing', resolved: 'resolved' },
  value: 'Value',
  comparedWith: 'Compared with',
  since: 'Since',
  notify: 'Notify',
  resolved: 'Resolved',
  acknowledgedBy: (u) => `👀 Acknowledged by ${u}`,
  snoozedBy: (u, until) => `💤 Snoozed by ${u} until ${until}`,
  silencedBy: (u, until) => `🔕 Silenced by ${u} until ${until}`,
  actions: { ack: 'Acknowledge', snooze: 'Snooze', why: 'Why?', silence: 'Silence…' },
  snoozeOptions: { '1h': '1 hour', '1d': '1 day', sync: 'Until next data sync' },
  episode: 'episode',
  rule: 'rule',
  dataHealth: 'Data health',
  ruleError: 'Rule error',
  heldNote: (n) => `(delivered late, ${n})`,
  chartLeftOut: (what) => `📈 Not drawn in the chart: ${what}`,
  chartThreshold: 'threshold',
  chartTarget: 'target',
};

const ZH: CardText = {
  severity: { warning: '警告', critical: '严重' },
  event: { firing: '触发', escalated: '升级为严重', deescalated: '降为警告', reminder: '仍在触发', resolved: '已恢复' },
  value: '数值',
  comparedWith: '对比',
  since: '开始于',
  notify: '通知',
  resolved: '已恢复',
  acknowledgedBy: (u) => `👀 ${u} 已确认`,
  snoozedBy: (u, until) => `💤 ${u} 已暂停提醒至 ${until}`,
  silencedBy: (u, until) => `🔕 ${u} 已静默至 ${until}`,
  actions: { ack: '确认', snooze: '暂停提醒', why: '原因？', silence: '静默…' },
  snoozeOptions: { '1h': '1 小时', '1d': '1 天', sync: '直到下次数据同步' },
  episode: '事件',
  rule: '规则',
  dataHealth: '数据健康',
  ruleError: '规则错误',
  heldNote: (n) => `（延迟送达：${n}）`,
  chartLeftOut: (what) => `📈 图表未画出：${what}`,
  chartThreshold: '阈值',
  chartTarget: '目标',
};

/** The card words in a language. */
export function cardText(locale: Locale): CardText {
  return locale === 'zh' ? ZH : EN;
}
