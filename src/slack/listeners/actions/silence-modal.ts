import { MAX_SILENCE_REASON } from '../../../answers/silence-rule.ts';
import { slackSurfaceText } from '../../../answers/slack-surface-text.ts';
import type { Locale } from '../../../domain/locale.ts';

/** The callback id of the Silence… modal. */
export const SILENCE_MODAL_ID = 'alert_silence_modal';

/** The Silence… modal of an alert card: how long, and why (as capped as `/kpi silence`'s reason). */
export function silenceModal(episodeId: number, channel: string, ts: string, locale: Locale): Record<string, unknown> {
  const t = slackSurfaceText(locale);
  const hours = [1, 4, 24, 72, 168];
  return {
    type: 'modal',
    callback_id: SILENCE_MODAL_ID,
    private_metadata: JSON.stringify({ episodeId, channel, ts }),
    title: { type: 'plain_text', text: t.silenceTitle },
    submit: { type: 'plain_text', text: t.silenceSubmit },
    blocks: [
      {
        type: 'input',
        block_id: 'duration',
        label: { type: 'plain_text', text: t.silenceFor },
        element: {
          type: 'static_select',
          action_id: 'value',
          initial_option: { text: { type: 'plain_text', text: t.hours(24) }, value: '24' },
          options: hours.map((h) => ({ text: { type: 'plain_text', text: t.hours(h) }, value: String(h) })),
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: t.silenceReason },
        element: { type: 'plain_text_input', action_id: 'value', max_length: MAX_SILENCE_REASON },
      },
    ],
  };
}
