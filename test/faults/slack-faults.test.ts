// Slack faults through the outbox sender and the Slack notifier, against the fake Slack on
// loopback: a call that never gets an answer (before or after Slack acted), an answer cut off after
// Slack acted, a 500, and a permanent invalid_blocks. A notification being retried holds the later
// ones of its channel (order), a permanent failure does not hold anything, a hung channel does not
// hold the others, and nothing is ever posted twice. The Web API client is production's
// (createSlackClient); only the timeout is lowered, through the variable production reads.
import { afterEach, describe, expect, it } from 'vitest';
import { alertOutbox } from '../../src/alerts/alert-outbox.ts';
import { deliverOutbox } from '../../src/alerts/deliver-outbox.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb } from '../helpers/migrated-db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const START = Date.parse('2024-04-01T09:00:00Z');
const RETRY = { policy: { attempts: 5, baseMs: 10_000, capMs: 10_000, maxWaitMs: Infinity }, random: () => 1 };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A database with `n` firing notifications queued for `channels` in turn, and the fake Slack. */
async function setup(
  n: number,
  channels: string[],
  timeoutMs = 500,
): Promise<{ db: Database; slack: FakeSlack; pass: () => ReturnType<typeof deliverOutbox>; at: (ms: number) => void; keys: string[] }> {
  const test = await migratedDb();
  const { db } = test;
  let t = START;
  const slack = await startFakeSlack({ channels: Object.fromEntries(channels.map((c) => [c, `C0${c.toUpperCase()}`])), clock: () => t });
  closers.push(async () => {
    await slack.close();
    await test.close();
  });
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const channel = `#${channels[i % channels.length]}`;
    const episode = await db.prisma.alertEpisode.create({
      data: {
        rule: 'r',
        seriesKey: `s${i}`,
        kpi: 'won_revenue',
        severity: 'warning',
        currentSeverity: 'warning',
        startedAt: new Date(START),
        seen: '[]',
        summary: `alert ${i}`,
      },
    });
    const note: AlertNotification = {
      dedupKey: `${episode.id}:firing::${channel}`,
      episodeId: episode.id,
      event: 'firing',
      kind: 'kpi',
      channel,
      rule: 'r',
      kpi: 'won_revenue',
      kpiTitle: 'Won revenue',
      severity: 'warning',
      period: '2024-03',
      value: String(i),
      comparison: 'threshold 1',
      summary: `alert ${i}`,
      since: new Date(START).toISOString(),
      timeZone: 'UTC',
      mentions: [],
    };
    keys.push(note.dedupKey);
    await db.prisma.alertOutbox.create({
      data: {
        dedupKey: note.dedupKey,
        episodeId: episode.id,
        channel,
        event: 'firing',
        payload: JSON.stringify(note),
        status: 'pending',
        notBefore: new Date(START),
        createdAt: new Date(START),
      },
    });
  }
  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-faults', SLACK_API_URL: slack.apiUrl, CRM_PULSE_HTTP_TIMEOUT_MS: String(timeoutMs) }));
  const notifier = slackNotifier({ client, locale: 'en', clock: () => t, sleep: async (ms) => void (t += ms) });
  return { db, slack, keys, pass: () => deliverOutbox(alertOutbox(db), notifier, new Date(t), silentLogger(), RETRY), at: (ms) => void (t = START + ms) };
}

/** Waits until `check` holds (the fake Slack records calls as they arrive). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

const posted = (slack: FakeSlack, channel: string) =>
  slack.messages.filter((m) => m.channel === channel).map((m) => String(m.metadata?.event_payload.dedup_key));

describe('Slack faults through the outbox', () => {
  it('a post whose request never arrives is retried after the backoff and posted once, the channel kept in order', async () => {
    const { slack, pass, at, keys } = await setup(3, ['alerts']);
    slack.fail('chat.postMessage', { timeout: 'request' });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0, waiting: 2 });
    expect(slack.messages).toEqual([]);
    // Before the backoff ends nothing moves: the later two wait behind the first.
    at(9_000);
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 0, waiting: 2 });
    at(10_000);
    expect(await pass()).toEqual({ sent: 3, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual(keys);
  });

  it('a post Slack carried out but whose answer was lost is found on retry, not posted again', async () => {
    const { slack, db, pass, at, keys } = await setup(2, ['alerts']);
    slack.fail('chat.postMessage', { timeout: 'response' });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0, waiting: 1 });
    expect(posted(slack, 'C0ALERTS')).toEqual([keys[0]]);
    at(10_000);
    expect(await pass()).toEqual({ sent: 2, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual(keys);
    const rows = await db.prisma.alertOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 1],
    ]);
    expect(rows[0]!.lastError).toBeNull();
  });

  it('a post whose connection is cut after Slack acted is not re-sent by the client: the outbox retry finds it', async () => {
    const { slack, pass, at, keys } = await setup(2, ['alerts']);
    slack.fail('chat.postMessage', { cut: true });
    expect(await pass()).toEqual({ sent: 0, retrying: 1, failed: 0, waiting: 1 });
    // One call reached Slack: the client did not try again on its own, past the dedup look-up.
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(posted(slack, 'C0ALERTS')).toEqual([keys[0]]);
    at(10_000);
    expect(await pass()).toEqual({ sent: 2, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual(keys);
  });

  it('a channel whose post hangs does not hold up another channel', async () => {
    // A long timeout, so that only the other lane can make progress while the first hangs.
    const { slack, pass, at, keys } = await setup(4, ['alerts', 'leads'], 60_000);
    slack.inject = (method, params) => (method === 'chat.postMessage' && params.channel === 'C0ALERTS' ? { timeout: 'request' } : undefined);
    let settled = false;
    const running = pass().finally(() => void (settled = true));
    await until(() => posted(slack, 'C0LEADS').length === 2);
    expect(posted(slack, 'C0LEADS')).toEqual([keys[1], keys[3]]);
    expect(settled).toBe(false);
    slack.inject = undefined;
    slack.dropHanging();
    expect(await running).toEqual({ sent: 2, retrying: 1, failed: 0, waiting: 1 });
    at(10_000);
    expect(await pass()).toEqual({ sent: 2, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual([keys[0], keys[2]]);
  });

  it('a card deleted in Slack (chat.update: message_not_found) is posted again in its current state, and later events edit the new one', async () => {
    const { slack, db, pass, at, keys } = await setup(1, ['alerts']);
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0, waiting: 0 });
    const first = slack.messages.splice(0)[0]!; // someone deletes the card
    const row = (await db.prisma.alertOutbox.findFirstOrThrow({}))!;
    const resolvedKey = `${row.episodeId}:resolved::#alerts`;
    const resolved = { ...(JSON.parse(row.payload) as AlertNotification), dedupKey: resolvedKey, event: 'resolved' as const };
    await db.prisma.alertOutbox.create({
      data: {
        dedupKey: resolvedKey,
        episodeId: row.episodeId,
        channel: '#alerts',
        event: 'resolved',
        payload: JSON.stringify(resolved),
        status: 'pending',
        notBefore: new Date(START),
        createdAt: new Date(START),
      },
    });
    at(1_000);
    expect(await pass()).toEqual({ sent: 1, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual([resolvedKey]);
    const card = slack.messages[0]!;
    expect(card.ts).not.toBe(first.ts);
    expect(card.thread_ts).toBeUndefined();
    expect((await db.prisma.alertThread.findFirstOrThrow({})).ref).toBe(`C0ALERTS/${card.ts}`);
    expect(keys).toHaveLength(1);
  });

  it('a 500 holds only its own channel; invalid_blocks fails for good and holds nothing', async () => {
    const { slack, db, pass, at, keys } = await setup(6, ['alerts', 'leads']);
    // Channels are delivered side by side, so the failures are chosen by channel, not by arrival.
    const first = new Set<unknown>();
    slack.inject = (method, params) => {
      if (method !== 'chat.postMessage' || first.has(params.channel)) return undefined;
      first.add(params.channel);
      return params.channel === 'C0ALERTS' ? { status: 500 } : { error: 'invalid_blocks' };
    };
    // Queue: 0 alerts (500), 1 leads (invalid_blocks), 2 alerts, 3 leads, 4 alerts, 5 leads.
    expect(await pass()).toEqual({ sent: 2, retrying: 1, failed: 1, waiting: 2 });
    expect(posted(slack, 'C0LEADS')).toEqual([keys[3], keys[5]]);
    expect(posted(slack, 'C0ALERTS')).toEqual([]);
    at(10_000);
    expect(await pass()).toEqual({ sent: 3, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual([keys[0], keys[2], keys[4]]);
    const failed = await db.prisma.alertOutbox.findMany({ where: { status: 'failed' } });
    expect(failed.map((r) => [r.dedupKey, r.lastError])).toEqual([
      [keys[1], '[slack] chat.postMessage: invalid_blocks\n  fix: a message broke Block Kit limits; report it with this error'],
    ]);
  });
});
