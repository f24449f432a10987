import type { App, BlockAction, ButtonAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Command } from '../../../answers/command.ts';
import { messages, type ParseProblem } from '../../../answers/messages.ts';
import { alertIdOf, parseDurationText } from '../../../answers/parse-values.ts';
import { silenceProblem } from '../../../answers/silence-rule.ts';
import { internalErrorText } from '../../internal-error.ts';
import { commandContext, localeOf, type SlackServices } from '../../slack-context.ts';
import { postReply } from '../../post-reply.ts';
import { slackNotifier } from '../../slack-notifier.ts';
import { silenceModal, SILENCE_MODAL_ID } from './silence-modal.ts';
import { whyTarget } from '../../why-value.ts';

/** A button or menu press, as the handlers below read it. */
interface Press {
  readonly body: BlockAction;
  readonly client: WebClient;
  readonly respond: RespondFn | undefined;
}

/**
 * The alert card's buttons: Acknowledge, Snooze, Why?, Silence… (with its modal). Each reads its
 * value into the same typed command `/kpi` runs, and the command service decides: one admin check
 * (refusals audited), one validation, one set of answers. Every outcome is answered to the user in
 * their language: done, refused, invalid, or failed with an error id.
 */
export function register(app: App, s: SlackServices): void {
  app.action<BlockAction<ButtonAction>>('alert_ack', async ({ ack, body, action, client, respond }) => {
    await ack();
    const value = action.value ?? '';
    const id = alertIdOf(value);
    await act(s, { body, client, respond }, 'alert_ack', id === undefined ? { kind: 'bad_alert_id', word: value } : { name: 'ack', episode: id }, value);
  });

  app.action<BlockAction<StaticSelectAction>>('alert_snooze', async ({ ack, body, action, client, respond }) => {
    await ack();
    const value = action.selected_option?.value ?? '';
    await act(s, { body, client, respond }, 'alert_snooze', snoozeCommand(value), value);
  });

  app.action<BlockAction<ButtonAction>>('alert_why', async ({ ack, body, action, client, respond }) => {
    await ack();
    const locale = localeOf(s.config, body.user.id);
    try {
      const target = whyTarget(action.value ?? '');
      if (target === undefined)
        return await tell(
          s,
          { body, client, respond },
          messages(locale).error(messages(locale).problem({ kind: 'unknown_kpi', word: (action.value ?? '').slice(0, 80), suggestion: undefined })),
        );
      const ctx = await commandContext(s, client, body.user.id, body.channel?.id);
      const reply = await s.commands.explain(target, ctx);
      await postReply(
        s,
        { client, userId: body.user.id, channelId: body.channel?.id ?? body.user.id, respond: respondOrDm(s, { body, client, respond }) },
        reply,
      );
    } catch (error) {
      await tell(s, { body, client, respond }, internalErrorText(s.log, locale, error, 'alert_why'));
    }
  });

  app.action<BlockAction<ButtonAction>>('alert_silence', async ({ ack, body, action, client, respond }) => {
    await ack();
    const press = { body, client, respond };
    const locale = localeOf(s.config, body.user.id);
    const m = messages(locale);
    const value = action.value ?? '';
    try {
      const id = alertIdOf(value);
      if (id === undefined) return await tell(s, press, m.error(m.problem({ kind: 'bad_alert_id', word: value.slice(0, 80) })));
      const ctx = await commandContext(s, client, body.user.id, body.channel?.id);
      // Only admins get the form: the same rule the modal's submission is checked against again.
      const refused = await s.commands.refusal('silence', ctx, `Silence… button on alert ${id}`);
      if (refused) return await tell(s, press, refused.text);
      await client.views.open({ trigger_id: body.trigger_id, view: silenceModal(id, body.channel?.id ?? '', body.message?.ts ?? '', locale) as never });
    } catch (error) {
      await tell(s, press, internalErrorText(s.log, locale, error, 'alert_silence'));
    }
  });

  app.view(SILENCE_MODAL_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const locale = localeOf(s.config, userId);
    const m = messages(locale);
    /** Keeps the modal open with `text` under the field it is about. */
    const fieldError = (field: 'duration' | 'reason', text: string) => ack({ response_action: 'errors', errors: { [field]: text.slice(0, 2000) } });
    try {
      const meta = modalMetadata(view.private_metadata);
      if (!meta) return await fieldError('duration', m.error(m.problem({ kind: 'bad_alert_id', word: view.private_metadata.slice(0, 80) })));
      const hoursText = view.state.values.duration?.value?.selected_option?.value ?? '';
      const hours = /^\d{1,6}$/.test(hoursText) ? Number(hoursText) : Number.NaN;
      const reason = (view.state.values.reason?.value?.value ?? '').trim();
      const problem = silenceProblem(hours * 3_600_000, `${hoursText}h`, reason);
      if (problem) return await fieldError(problem.kind === 'long_reason' ? 'reason' : 'duration', m.problem(problem));
      const ctx = await commandContext(s, client, userId, meta.channel || undefined);
      const command: Command = {
        name: 'silence',
        target: { episode: meta.episodeId, series: true },
        durationMs: hours * 3_600_000,
        duration: `${hours}h`,
        reason: reason || undefined,
      };
      const reply = await s.commands.execute(command, ctx, `Silence… modal on alert ${meta.episodeId}: ${hours}h ${reason}`);
      // A refusal, an ended or unknown alert, a database outage: said on the form, which stays open.
      if (reply.kind !== 'answer') return await fieldError('duration', reply.text);
      await ack();
      if (meta.channel) {
        await client.chat
          .postEphemeral({ channel: meta.channel, user: userId, text: reply.text })
          .catch((error: unknown) => s.log.warn({ err: error }, 'could not confirm a silence to its author'));
        if (meta.ts) await refreshCard(s, client, meta.channel, meta.ts, meta.episodeId, ctx.now);
      }
    } catch (error) {
      await fieldError('duration', internalErrorText(s.log, locale, error, SILENCE_MODAL_ID));
    }
  });
}

/** Runs a button's command and answers the presser; a successful one also redraws the card. */
async function act(s: SlackServices, press: Press, actionId: string, read: Command | ParseProblem, value: string): Promise<void> {
  const { body, client } = press;
  const locale = localeOf(s.config, body.user.id);
  const m = messages(locale);
  try {
    // An id like `1.5` is refused as what it is, invalid input, and is no action to audit.
    if ('kind' in read) return await tell(s, press, m.error(m.problem(read)));
    const ctx = await commandContext(s, client, body.user.id, body.channel?.id);
    const reply = await s.commands.execute(read, ctx, `${actionId} button: ${value.slice(0, 200)}`);
    if (reply.kind === 'answer' && 'episode' in read && body.channel && body.message)
      await refreshCard(s, client, body.channel.id, body.message.ts, read.episode, ctx.now);
    await tell(s, press, reply.text);
  } catch (error) {
    await tell(s, press, internalErrorText(s.log, locale, error, actionId));
  }
}

/** `12:1h`, `12:1d`, `12:sync`: the Snooze menu's options. */
function snoozeCommand(value: string): Command | ParseProblem {
  const [idText = '', length = ''] = value.split(':');
  const episode = alertIdOf(idText);
  if (episode === undefined) return { kind: 'bad_alert_id', word: idText.slice(0, 80) };
  if (length === 'sync') return { name: 'snooze', episode, until: 'sync' };
  const duration = parseDurationText(length);
  return duration ? { name: 'snooze', episode, until: duration } : { kind: 'bad_duration', word: length.slice(0, 80) };
}

/** The Silence… modal's private metadata, as silenceModal wrote it, or undefined. */
function modalMetadata(text: string): { episodeId: number; channel: string; ts: string } | undefined {
  try {
    const v = JSON.parse(text) as { episodeId?: unknown; channel?: unknown; ts?: unknown };
    if (typeof v.episodeId !== 'number' || alertIdOf(String(v.episodeId)) === undefined) return undefined;
    return { episodeId: v.episodeId, channel: typeof v.channel === 'string' ? v.channel : '', ts: typeof v.ts === 'string' ? v.ts : '' };
  } catch {
    return undefined;
  }
}

/** Says `text` to the presser only: through response_url, else as an ephemeral message in the channel. */
async function tell(s: SlackServices, press: Press, text: string): Promise<void> {
  await respondOrDm(s, press)({ response_type: 'ephemeral', replace_original: false, text });
}

function respondOrDm(s: SlackServices, { body, client, respond }: Press): (message: Record<string, unknown>) => Promise<unknown> {
  if (respond) return (message) => respond(message as never);
  return async (message) => {
    if (!body.channel) return s.log.warn({ user: body.user.id }, 'a button answer had nowhere to go: no response_url and no channel');
    return client.chat.postEphemeral({
      channel: body.channel.id,
      user: body.user.id,
      text: String(message.text ?? ''),
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
    });
  };
}

/**
 * Edits the card a button was pressed on, to show who acted, through the alert notifier's own
 * redraw: the card keeps the native line of its latest event. A card deleted meanwhile is left alone.
 */
async function refreshCard(s: SlackServices, client: WebClient, channel: string, ts: string, episodeId: number, now: Date): Promise<void> {
  const card = await s.alerts.card(episodeId, now);
  if (!card) return;
  const { locale, charts } = s.config.slack;
  const cards = slackNotifier({ client, locale, charts, nativeRefusal: s.nativeRefusal, chartFor: s.alertChart, log: s.log });
  try {
    await cards.redraw(`${channel}/${ts}`, card.notification, { acknowledgedBy: card.acknowledgedBy, snoozed: card.snoozed });
  } catch (error) {
    s.log.warn({ err: error, episodeId }, 'could not redraw an alert card after a button');
  }
}
