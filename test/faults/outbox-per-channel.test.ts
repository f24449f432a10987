// The outbox per channel (issue 13, "bound every queue"): one delivery pass takes at most 50 rows
// of one channel (500 in all), so a channel with a flood of notifications never keeps another
// channel's alert out of the pass. The rest of the flood waits, in queue order, for the next
// passes: nothing is dropped, and a channel with more than 500 due is logged as backlogged.
// Through deliverOutbox with the Slack notifier on production's client (createSlackClient) and
// the fake Slack on loopback.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOutbox } from '../../src/alerts/alert-outbox.ts';
import { CHANNEL_BACKLOG_WARNING, deliverOutbox, PASS_LIMITS } from '../../src/alerts/deliver-outbox.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { readEnv } from '../../src/config/env.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const START = Date.parse('2024-04-01T09:00:00Z');
const FLOOD = 600;
let test: MigratedDb;
let db: Database;
let slack: FakeSlack;
const logLines: string[] = [];
const log = createLogger({ format: 'json', destination: new Writable({ write: (c, _e, done) => (logLines.push(String(c)), done()) }) });
const keys: Record<string, string[]> = { flood: [], quiet: [] };

/** Queues one firing notification for `channel`, after every one queued before it. */
async function queue(tx: Database['prisma'], channel: string, i: number): Promise<void> {
  const episode = await tx.alertEpisode.create({
    data: {
      rule: 'r',
      seriesKey: `${channel}${i}`,
      kpi: 'won_revenue',
      severity: 'warning',
      currentSeverity: 'warning',
      startedAt: new Date(START),
      seen: '[]',
      summary: `alert ${i}`,
    },
  });
  const note: AlertNotification = {
    dedupKey: `${episode.id}:firing::#${channel}`,
    episodeId: episode.id,
    event: 'firing',
    kind: 'kpi',
    channel: `#${channel}`,
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
  keys[channel]!.push(note.dedupKey);
  await tx.alertOutbox.create({
    data: {
      dedupKey: note.dedupKey,
      episodeId: episode.id,
      channel: note.channel,
      event: 'firing',
      payload: JSON.stringify(note),
      status: 'pending',
      notBefore: new Date(START),
      createdAt: new Date(START),
    },
  });
}

beforeAll(async () => {
  test = await migratedDb();
  db = test.db;
  slack = await startFakeSlack({ channels: { flood: 'C0FLOOD', quiet: 'C0QUIET' } });
  // The flood is queued first: every one of its rows is older than the quiet channel's alert.
  // One transaction: 1,200 separate commits would take most of a minute on a busy machine.
  await db.prisma.$transaction(
    async (tx) => {
      for (let i = 0; i < FLOOD; i++) await queue(tx as Database['prisma'], 'flood', i);
      await queue(tx as Database['prisma'], 'quiet', 0);
    },
    { timeout: 120_000 },
  );
}, 120_000);
afterAll(async () => {
  await slack.close();
  await test?.close();
});

const posted = (channel: string) => slack.messages.filter((m) => m.channel === channel).map((m) => String(m.metadata?.event_payload.dedup_key));

describe('the outbox per channel', () => {
  it('a pass takes 50 rows of a flooded channel and still delivers the other channel; the flood drains in order over later passes, none dropped', async () => {
    const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-outbox', SLACK_API_URL: slack.apiUrl }));
    // The notifier paces posts to a channel one a second; virtual time keeps 600 posts quick.
    let t = START;
    const notifier = slackNotifier({ client, locale: 'en', clock: () => t, sleep: async (ms) => void (t += ms) });
    const pass = () => deliverOutbox(alertOutbox(db), notifier, new Date(START), log);
    expect(FLOOD).toBeGreaterThan(PASS_LIMITS.total);
    expect(FLOOD).toBeGreaterThan(CHANNEL_BACKLOG_WARNING);

    expect(await pass()).toEqual({ sent: PASS_LIMITS.perChannel + 1, retrying: 0, failed: 0, waiting: 0 });
    expect(posted('C0QUIET')).toEqual(keys.quiet);
    expect(posted('C0FLOOD')).toEqual(keys.flood!.slice(0, PASS_LIMITS.perChannel));
    const warning = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.channel === '#flood');
    expect(warning).toMatchObject({ level: 40, due: FLOOD, perPass: PASS_LIMITS.perChannel });
    expect(logLines.some((l) => l.includes('#quiet'))).toBe(false);

    let passes = 1;
    while (posted('C0FLOOD').length < FLOOD) {
      const left = FLOOD - posted('C0FLOOD').length;
      expect((await pass()).sent).toBe(Math.min(PASS_LIMITS.perChannel, left));
      passes++;
    }
    expect(passes).toBe(Math.ceil(FLOOD / PASS_LIMITS.perChannel));
    expect(posted('C0FLOOD')).toEqual(keys.flood);
    expect(await db.prisma.alertOutbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(await pass()).toEqual({ sent: 0, retrying: 0, failed: 0, waiting: 0 });
  }, 300_000);
});
