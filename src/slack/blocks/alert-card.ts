import type { NativeChart } from '../../answers/reply.ts';
import type { Locale } from '../../domain/locale.ts';
import type { AlertNotification } from '../../domain/alert.ts';
import { localTimeText } from '../../lib/zoned-time.ts';
import { cardText } from '../../answers/card-text.ts';
import { whyValue } from '../why-value.ts';
import { clipText as clip } from '../../lib/safe-slice.ts';
import type { Block, SlackMessage } from './check-block-limits.ts';
import { dataVisualizationBlock } from './native-blocks.ts';

/** What people did to an episode, shown on its card. */
export interface CardMarks {
  readonly acknowledgedBy?: string | undefined;
  readonly snoozed?: { readonly by: string; readonly until: string } | undefined;
}

const COLOR = { warning: '#E8A317', critical: '#D62728', resolved: '#2CA02C' } as const;
const EMOJI = { warning: ':large_orange_circle:', critical: ':red_circle:', resolved: ':white_check_mark:', error: ':warning:' } as const;

/** The chart a card carries as Slack's data_visualization block, and what that leaves out in words. */
export interface CardChart {
  readonly native: NativeChart;
  readonly note?: string | undefined;
}

/**
 * The Block Kit card of an alert episode: the KPI and dimension, the value against what it was
 * compared with, the severity (colour and emoji), since when, who is notified, and the buttons.
 * With `chart`, the KPI's line is drawn in the card (a data_visualization block after the facts),
 * with a line saying what it does not draw. A resolved card keeps its facts, turns green and
 * keeps only "Why?".
 * @example chat.postMessage({ channel, ...alertCard(n, 'en') })
 */
export function alertCard(n: AlertNotification, locale: Locale, marks: CardMarks = {}, chart?: CardChart): SlackMessage {
  const t = cardText(locale);
  const resolved = n.event === 'resolved';
  const emoji = resolved ? EMOJI.resolved : n.kind === 'error' ? EMOJI.error : EMOJI[n.severity];
  const title = n.kind === 'kpi' ? n.kpiTitle : n.kind === 'error' ? `${t.ruleError}: ${n.rule}` : t.dataHealth;
  const where = [n.dimension ? `${n.dimension.name} *${n.dimension.value}*` : undefined, n.period ?? undefined].filter(Boolean).join(' · ');
  const state = resolved ? t.resolved : `${t.severity[n.severity]} · ${t.event[n.event] ?? n.event}`;
  const time = (iso: string) =>
    `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${localTimeText(new Date(iso), n.timeZone)} ${n.timeZone}>`;
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`${emoji} *${title}*${where ? ` · ${where}` : ''}\n${state}`, 3000) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(n.summary, 3000) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*${t.value}*\n${n.value}` },
        ...(n.comparison ? [{ type: 'mrkdwn', text: clip(`*${t.comparedWith}*\n${n.comparison}`, 2000) }] : []),
        { type: 'mrkdwn', text: `*${t.since}*\n${time(n.since)}${n.endedAt ? ` → ${time(n.endedAt)}` : ''}` },
        ...(n.mentions.length && !resolved ? [{ type: 'mrkdwn', text: `*${t.notify}*\n${n.mentions.map(mention).join(' ')}` }] : []),
      ],
    },
  ];
  if (chart) blocks.push({ ...dataVisualizationBlock(chart.native), block_id: `chart:${n.episodeId}` });
  const context = [`${t.rule} \`${n.rule}\` · ${t.episode} #${n.episodeId}`];
  if (chart?.note) context.push(chart.note);
  if (marks.acknowledgedBy) context.push(t.acknowledgedBy(mention(marks.acknowledgedBy)));
  if (marks.snoozed) context.push(t.snoozedBy(mention(marks.snoozed.by), marks.snoozed.until));
  if (n.releasedNote) context.push(t.heldNote(n.releasedNote));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text: clip(text, 3000) })) });
  blocks.push({ type: 'actions', block_id: `alert:${n.episodeId}`, elements: actions(n, t, resolved) });
  const fallback = `${resolved ? '✅' : n.severity === 'critical' ? '🔴' : '🟠'} ${title}${n.dimension ? ` (${n.dimension.value})` : ''}: ${n.summary}`;
  return { text: clip(fallback, 3000), attachments: [{ color: resolved ? COLOR.resolved : COLOR[n.severity], blocks }] };
}

/** The line a state change adds to the card's thread. */
export function threadLine(n: AlertNotification, locale: Locale): SlackMessage {
  const t = cardText(locale);
  const emoji = n.event === 'resolved' ? EMOJI.resolved : EMOJI[n.severity];
  const mentions = n.event === 'escalated' || n.event === 'reminder' ? ` ${n.mentions.map(mention).join(' ')}` : '';
  const text = `${emoji} *${t.event[n.event] ?? n.event}* (${n.period ?? ''}): ${n.summary}${mentions}`;
  return { text: clip(text, 3000), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } }] };
}

function actions(n: AlertNotification, t: ReturnType<typeof cardText>, resolved: boolean): Block[] {
  const value = String(n.episodeId);
  const why = { type: 'button', action_id: 'alert_why', text: { type: 'plain_text', text: t.actions.why }, value: whyValue(n) };
  if (resolved) return [why];
  return [
    { type: 'button', action_id: 'alert_ack', style: 'primary', text: { type: 'plain_text', text: t.actions.ack }, value },
    {
      type: 'static_select',
      action_id: 'alert_snooze',
      placeholder: { type: 'plain_text', text: t.actions.snooze },
      options: (['1h', '1d', 'sync'] as const).map((k) => ({ text: { type: 'plain_text', text: t.snoozeOptions[k] }, value: `${value}:${k}` })),
    },
    why,
    { type: 'button', action_id: 'alert_silence', text: { type: 'plain_text', text: t.actions.silence }, value },
  ];
}

/** A user ID as a Slack mention; group and special mentions pass through. */
function mention(who: string): string {
  if (who === '@here' || who === '@channel') return `<!${who.slice(1)}>`;
  return who.startsWith('<') ? who : /^[UW][A-Z0-9]+$/.test(who) ? `<@${who}>` : who;
}
