import type { ChartInput } from '../charts/chart-input.ts';
import type { NativeChart } from '../charts/native-chart.ts';
import type { Locale } from '../domain/locale.ts';

/** The chart data a reply carries, as the adapters that render a Reply read it. */
export type { ChartInput, NativeChart };

/** One part of an answer; Slack renders it as Block Kit, local mode as terminal text. */
export type ReplyBlock =
  /** a title line */
  | { readonly kind: 'header'; readonly text: string }
  /** a paragraph; *bold*, _italic_ and `code` as in Slack mrkdwn; newlines kept */
  | { readonly kind: 'text'; readonly text: string }
  /** label/value pairs shown side by side */
  | { readonly kind: 'fields'; readonly fields: readonly { readonly label: string; readonly value: string }[] }
  /**
   * a table: `rows` is its text form, cut to fit a message section (monospaced in Slack's text
   * fallback and in local mode); `cells`, when set, is every row with the number each cell shows,
   * which Slack's data_table block sorts numerically (src/slack/blocks/data-table.ts)
   */
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly cells?: readonly (readonly TableCell[])[];
    }
  /** a footnote: sources, as-of date, hints */
  | { readonly kind: 'context'; readonly text: string }
  /**
   * a chart, rendered to PNG by src/charts: uploaded in Slack, written under ./out/ locally;
   * `native`: the same chart as Slack's data_visualization block draws it, where the block can;
   * `headline` (the digest): one line drawn in the message while the chart itself stays a PNG
   */
  | { readonly kind: 'chart'; readonly chart: ChartInput; readonly alt: string; readonly native?: NativeChart; readonly headline?: NativeChart }
  /** buttons */
  | { readonly kind: 'actions'; readonly actions: readonly ReplyAction[] };

/** One cell of a table: the text it shows, and the number behind it where it shows one. */
export interface TableCell {
  readonly text: string;
  /** the unformatted value (e.g. 0.413 for "41.3%"), so a column sorts as numbers, not as text */
  readonly value?: number;
}

/** A button of an answer or an alert card. */
export interface ReplyAction {
  /** what it does; Slack listeners are registered per id */
  readonly id: 'alert_ack' | 'alert_snooze' | 'alert_why' | 'alert_silence' | 'kpi_post';
  readonly label: string;
  /** what the handler needs, e.g. the episode id */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  /** a menu instead of a button, e.g. snooze 1h / 1d / until next sync */
  readonly options?: readonly { readonly label: string; readonly value: string }[];
}

/** The answer to a /kpi command or a button. */
export interface Reply {
  /** plain text for notifications and screen readers */
  readonly text: string;
  readonly blocks: readonly ReplyBlock[];
  /** ephemeral: only the caller sees it; in_channel: posted (`… post`) */
  readonly visibility: 'ephemeral' | 'in_channel';
  /** answer, or a usage hint, an error, or a refusal of a mutating command by a non-admin */
  readonly kind: 'answer' | 'usage' | 'error' | 'refused';
  /** the language it is in, so a transport words its own notes (Slack's "rows 1–100 of 340") alike */
  readonly locale: Locale;
}

/** Who asks, where, in which language, and when. */
export interface CommandContext {
  /** Slack user id, or 'local' in local mode */
  readonly userId: string;
  readonly channelId?: string;
  readonly locale: Locale;
  /** may run mutating commands (target, subscribe, silence, ack) */
  readonly isAdmin: boolean;
  /** the reference instant: the wall clock, or the pinned local-mode clock */
  readonly now: Date;
  /** links an alert card for `/kpi alerts`, set by the transport that can (Slack); without it the answer names the channel */
  readonly threadLink?: ThreadLink;
  /** whether a channel (`#name` or ID) exists for the bot, set by the transport that can look (Slack); without it any well-formed channel is taken */
  readonly channelExists?: (channel: string) => Promise<boolean>;
}

/**
 * A link to an alert card, from the channel it was routed to and the notifier's ref of the card
 * (Slack: `channelId/ts`); undefined when there is none to give.
 */
export type ThreadLink = (channel: string, ref: string) => Promise<string | undefined>;
