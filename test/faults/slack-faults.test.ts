// Slack faults through the outbox sender and the Slack notifier, against the fake Slack on
// loopback: a call that never gets an answer (before or after Slack acted), a 500, and a permanent
// invalid_blocks. A notification being retried holds the later ones of its channel (order), a
// permanent failure does not hold anything, and nothing is ever posted twice.
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/alerts/deliver-outbox.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openDatabase, type Database } from '../../src/store/open-database.ts';
import { tempSqlite } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const START = Date.parse('2024-04-01T09:00:00Z');
const POLICY = { maxAttempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1 };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A database with `n` firing notifications queued for `channels` in turn, and the fake Slack. */
async function setup(n: number, channels: string[]): Promise<{ db: Database; slack: FakeSlack; pass: () => ReturnType<typeof deliverOutbox>; at: (ms: number) => void; keys: string[] }> {
  const test = tempSqlite();
  const db = await openDatabase(test.url);
  await migrate(db);
  let t = START;
  const slack = await startFakeSlack({ channels: Object.fromEntries(channels.map((c) => [c, `C0${c.toUpperCase()}`])), clock: () => t });
  closers.push(async () => {
    await slack.close();
    await db.close();
    await test.drop();
  });
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const channel = `#${channels[i % channels.length]}`;
    const episode = await db.prisma.alertEpisode.create({ data: { rule: 'r', seriesKey: `s${i}`, kpi: 'won_revenue', severity: 'warning', currentSeverity: 'warning', startedAt: new Date(START), seen: '[]', summary: `alert ${i}` } });
    const note: AlertNotification = { dedupKey: `${episode.id}:firing::${channel}`, episodeId: episode.id, event: 'firing', kind: 'kpi', channel, rule: 'r', kpi: 'won_revenue', kpiTitle: 'Won revenue', severity: 'warning', period: '2024-03', value: String(i), comparison: 'threshold 1', summary: `alert ${i}`, since: new Date(START).toISOString(), timeZone: 'UTC', mentions: [] };
    keys.push(note.dedupKey);
    await db.prisma.alertOutbox.create({ data: { dedupKey: note.dedupKey, episodeId: episode.id, channel, event: 'firing', payload: JSON.stringify(note), status: 'pending', notBefore: new Date(START), createdAt: new Date(START) } });
  }
  const client = new WebClient('xoxb-faults', { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 500 });
  const notifier = slackNotifier({ client, locale: 'en', clock: () => t, sleep: async (ms) => void (t += ms) });
  return { db, slack, keys, pass: () => deliverOutbox(db, notifier, new Date(t), silentLogger(), POLICY), at: (ms) => void (t = START + ms) };
}

const posted = (slack: FakeSlack, channel: string) => slack.messages.filter((m) => m.channel === channel).map((m) => String(m.metadata?.event_payload.dedup_key));

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

  it('a 500 holds only its own channel; invalid_blocks fails for good and holds nothing', async () => {
    const { slack, db, pass, at, keys } = await setup(6, ['alerts', 'leads']);
    let posts = 0;
    slack.inject = (method) => {
      if (method !== 'chat.postMessage') return undefined;
      posts++;
      return posts === 1 ? { status: 500 } : posts === 2 ? { error: 'invalid_blocks' } : undefined;
    };
    // Queue: 0 alerts (500), 1 leads (invalid_blocks), 2 alerts, 3 leads, 4 alerts, 5 leads.
    expect(await pass()).toEqual({ sent: 2, retrying: 1, failed: 1, waiting: 2 });
    expect(posted(slack, 'C0LEADS')).toEqual([keys[3], keys[5]]);
    expect(posted(slack, 'C0ALERTS')).toEqual([]);
    at(10_000);
    expect(await pass()).toEqual({ sent: 3, retrying: 0, failed: 0, waiting: 0 });
    expect(posted(slack, 'C0ALERTS')).toEqual([keys[0], keys[2], keys[4]]);
    const failed = await db.prisma.alertOutbox.findMany({ where: { status: 'failed' } });
    expect(failed.map((r) => [r.dedupKey, r.lastError])).toEqual([[keys[1], '[slack] chat.postMessage: invalid_blocks\n  fix: a message broke Block Kit limits; report it with this error']]);
  });
});
