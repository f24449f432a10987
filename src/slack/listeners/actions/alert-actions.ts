import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { alertCard } from '../../blocks/alert-card.ts';
import { commandContext, isAdmin, localeOf, type SlackServices } from '../../slack-context.ts';
import { postReply } from '../../post-reply.ts';

const SNOOZE_MS: Readonly<Record<string, number>> = { '1h': 3_600_000, '1d': 86_400_000 };

/** The alert card's buttons: Acknowledge, Snooze, Why?, Silence… (with its modal). */
export function register(app: App, s: SlackServices): void {
  app.action<BlockAction<ButtonAction>>('alert_ack', async ({ ack, body, action, client }) => {
    await ack();
    const now = await s.now();
    await s.alerts.acknowledge(Number(action.value), body.user.id, now);
    await refreshCard(s, client, body, Number(action.value), now);
  });

  app.action<BlockAction<StaticSelectAction>>('alert_snooze', async ({ ack, body, action, client }) => {
    await ack();
    const [id, length] = action.selected_option.value.split(':') as [string, string];
    const now = await s.now();
    await s.alerts.snooze(Number(id), length === 'sync' ? 'sync' : new Date(now.getTime() + SNOOZE_MS[length]!), body.user.id, now);
    await refreshCard(s, client, body, Number(id), now);
  });

  app.action<BlockAction<ButtonAction>>('alert_why', async ({ ack, body, action, client, respond }) => {
    await ack();
    const ctx = await commandContext(s, client, body.user.id, body.channel?.id);
    const reply = await s.commands.run(`why ${action.value}`, ctx);
    await postReply(s, { client, userId: body.user.id, channelId: body.channel?.id ?? body.user.id, respond }, reply);
  });

  app.action<BlockAction<ButtonAction>>('alert_silence', async ({ ack, body, action, client, respond }) => {
    await ack();
    const zh = localeOf(s.config, body.user.id) === 'zh';
    if (!(await isAdmin(s.config, client, body.user.id))) {
      await s.alerts.recordRefusal(body.user.id, `silence episode ${action.value}`, await s.now());
      await respond({ response_type: 'ephemeral', replace_original: false, text: zh ? '只有管理员可以静默告警；可以用“暂停提醒”暂停这个告警。' : 'Only admins can silence alerts; you can snooze this one instead.' });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: silenceModal(action.value ?? '', body.channel?.id ?? '', body.message?.ts ?? '', zh) as never });
  });

  app.view('alert_silence_modal', async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const hours = Number(values.duration?.value?.selected_option?.value ?? '24');
    const reason = values.reason?.value?.value?.trim() || 'no reason given';
    await ack();
    const { episodeId, channel, ts } = JSON.parse(view.private_metadata) as { episodeId: number; channel: string; ts: string };
    const now = await s.now();
    const card = await s.alerts.card(episodeId, now);
    const n = card?.notification;
    const matchers = n ? { rule: n.rule, ...(n.dimension ? { dimension: n.dimension.value } : {}) } : { episode: episodeId };
    await s.alerts.silence(matchers, new Date(now.getTime() + hours * 3_600_000), body.user.id, reason, now);
    if (channel && ts) await refreshCard(s, client, { channel: { id: channel }, message: { ts } } as never, episodeId, now);
  });
}

/** Edits the card a button was pressed on, to show who acted. */
async function refreshCard(s: SlackServices, client: WebClient, body: { channel?: { id: string }; message?: { ts: string } }, episodeId: number, now: Date): Promise<void> {
  const card = await s.alerts.card(episodeId, now);
  if (!card || !body.channel || !body.message) return;
  const marks = { acknowledgedBy: card.acknowledgedBy, snoozed: card.snoozed };
  await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...alertCard(card.notification, s.config.slack.locale, marks) } as never);
}

function silenceModal(episodeId: string, channel: string, ts: string, zh: boolean): Record<string, unknown> {
  const hours = [1, 4, 24, 72, 168];
  const label = (h: number) => (h < 24 ? `${h} ${zh ? '小时' : h === 1 ? 'hour' : 'hours'}` : `${h / 24} ${zh ? '天' : h === 24 ? 'day' : 'days'}`);
  return {
    type: 'modal',
    callback_id: 'alert_silence_modal',
    private_metadata: JSON.stringify({ episodeId: Number(episodeId), channel, ts }),
    title: { type: 'plain_text', text: zh ? '静默告警' : 'Silence alert' },
    submit: { type: 'plain_text', text: zh ? '静默' : 'Silence' },
    blocks: [
      {
        type: 'input',
        block_id: 'duration',
        label: { type: 'plain_text', text: zh ? '时长' : 'For' },
        element: { type: 'static_select', action_id: 'value', initial_option: { text: { type: 'plain_text', text: label(24) }, value: '24' }, options: hours.map((h) => ({ text: { type: 'plain_text', text: label(h) }, value: String(h) })) },
      },
      { type: 'input', block_id: 'reason', label: { type: 'plain_text', text: zh ? '原因' : 'Reason' }, element: { type: 'plain_text_input', action_id: 'value', max_length: 500 } },
    ],
  };
}
