import type { Locale } from '../../../commands/reply.ts';
import { MAX_SILENCE_REASON } from '../../../commands/silence-rule.ts';

/** The callback id of the Silence… modal. */
export const SILENCE_MODAL_ID = 'alert_silence_modal';

/** The Silence… modal of an alert card: how long, and why (as capped as `/kpi silence`'s reason). */
export function silenceModal(episodeId: number, channel: string, ts: string, locale: Locale): Record<string, unknown> {
  const zh = locale === 'zh';
  const hours = [1, 4, 24, 72, 168];
  const label = (h: number) => (h < 24 ? `${h} ${zh ? '小时' : h === 1 ? 'hour' : 'hours'}` : `${h / 24} ${zh ? '天' : h === 24 ? 'day' : 'days'}`);
  return {
    type: 'modal',
    callback_id: SILENCE_MODAL_ID,
    private_metadata: JSON.stringify({ episodeId, channel, ts }),
    title: { type: 'plain_text', text: zh ? '静默告警' : 'Silence alert' },
    submit: { type: 'plain_text', text: zh ? '静默' : 'Silence' },
    blocks: [
      {
        type: 'input',
        block_id: 'duration',
        label: { type: 'plain_text', text: zh ? '时长' : 'For' },
        element: {
          type: 'static_select',
          action_id: 'value',
          initial_option: { text: { type: 'plain_text', text: label(24) }, value: '24' },
          options: hours.map((h) => ({ text: { type: 'plain_text', text: label(h) }, value: String(h) })),
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: zh ? '原因' : 'Reason' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: MAX_SILENCE_REASON },
      },
    ],
  };
}
