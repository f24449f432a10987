// Burst: 1,000 alerts across 20 channels through the real outbox sender and the real Slack
// notifier against the fake Slack Web API on loopback, which enforces one message a second per
// channel and answers some calls with 429 + Retry-After, 500s and lost answers (timeouts). Slack's
// pacing runs on a virtual clock shared by the notifier, the fake and the outbox, so the ~50 s of
// pacing take no wall time; only the three timeouts wait on the wall clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOutbox } from '../../src/alerts/alert-outbox.ts';
import { deliverOutbox, type DeliveryReport } from '../../src/alerts/deliver-outbox.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { readEnv } from '../../src/config/env.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import type { Database } from '../../src/store/open-database.ts';
import { migratedDb, type MigratedDb } from '../helpers/migrated-db.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

const ALERTS = 1000;
const CHANNELS = 20;
const START = Date.parse('2024-04-01T09:00:00Z');
const channelName = (c: number) => `burst-${String(c).padStart(2, '0')}`;
const channelId = (c: number) => `C0BURST${String(c).padStart(2, '0')}`;

let test: MigratedDb;
let db: Database;
let slack: FakeSlack;
let t = START;
let passes: DeliveryReport[] = [];
/** dedup keys in queue order, by channel ID */
const queued = new Map<string, string[]>();
const injected = { ratelimited: 0, serverErrors: 0, lostAnswers: 0 };

beforeAll(async () => {
  test = await migratedDb();
  db = test.db;
  slack = await startFakeSlack({ channels: Object.fromEntries(Array.from({ length: CHANNELS }, (_, c) => [channelName(c), channelId(c)])), clock: () => t });
  slack.enforceRate = true;

  // 1,000 episodes, one firing notification each, the channels interleaved as a storm would.
  const since = new Date(START - 3_600_000);
  await db.prisma.alertEpisode.createMany({
    data: Array.from({ length: ALERTS }, (_, i) => ({
      rule: 'burst',
      seriesKey: `s${i}`,
      kpi: 'won_revenue',
      severity: 'warning',
      currentSeverity: 'warning',
      startedAt: since,
      seen: '[]',
      summary: `burst alert ${i}`,
    })),
  });
  const episodes = await db.prisma.alertEpisode.findMany({ orderBy: { id: 'asc' }, select: { id: true } });
  const rows = episodes.map(({ id }, i) => {
    const c = i % CHANNELS;
    const channel = `#${channelName(c)}`;
    const n: AlertNotification = {
      dedupKey: `${id}:firing::${channel}`,
      episodeId: id,
      event: 'firing',
      kind: 'kpi',
      channel,
      rule: 'burst',
      kpi: 'won_revenue',
      kpiTitle: 'Won revenue',
      dimension: { name: 'owner', value: `owner ${i}` },
      severity: 'warning',
      period: '2024-03',
      value: String(i),
      comparison: 'threshold 1,000',
      summary: `burst alert ${i}: below 1,000`,
      since: since.toISOString(),
      timeZone: 'UTC',
      mentions: [],
    };
    queued.set(channelId(c), [...(queued.get(channelId(c)) ?? []), n.dedupKey]);
    return {
      dedupKey: n.dedupKey,
      episodeId: id,
      channel,
      event: 'firing',
      payload: JSON.stringify(n),
      status: 'pending',
      notBefore: new Date(START),
      createdAt: new Date(START),
    };
  });
  await db.prisma.alertOutbox.createMany({ data: rows });

  // Seeded faults: a 429 with Retry-After 3–7 s on every 97th post, a 500 on every 211th history
  // read, and three posts that Slack carries out but whose answers are lost.
  let posts = 0;
  let histories = 0;
  slack.inject = (method) => {
    if (method === 'chat.postMessage') {
      posts++;
      if (posts % 97 === 0) {
        injected.ratelimited++;
        return { status: 429, retryAfter: 3 + (posts % 5) };
      }
      if (posts === 150 || posts === 500 || posts === 850) {
        injected.lostAnswers++;
        return { timeout: 'response' };
      }
    }
    if (method === 'conversations.history' && ++histories % 211 === 0) {
      injected.serverErrors++;
      return { status: 500 };
    }
    return undefined;
  };

  const client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-burst-token', SLACK_API_URL: slack.apiUrl, CRM_PULSE_HTTP_TIMEOUT_MS: '1000' }));
  const notifier = slackNotifier({ client, locale: 'en', clock: () => t, sleep: async (ms) => void (t += ms) });
  // Full jitter (lib/retry.ts) at 0.75 waits what the outbox's former equal jitter waited at 0.5.
  const retry = { policy: { attempts: 8, baseMs: 2000, capMs: 60_000, maxWaitMs: Infinity }, random: () => 0.75 };
  // The delivery job's ticks: run a pass; when it could do nothing, wait for the next retry.
  for (let pass = 0; pass < 500; pass++) {
    const report = await deliverOutbox(alertOutbox(db), notifier, () => new Date(t), silentLogger(), retry);
    passes.push(report);
    if (report.sent + report.retrying + report.failed > 0) continue;
    const next = await db.prisma.alertOutbox.aggregate({ where: { status: 'pending', notBefore: { gt: new Date(t) } }, _min: { notBefore: true } });
    if (!next._min.notBefore) break;
    t = next._min.notBefore.getTime();
  }
}, 300_000);
afterAll(async () => {
  await slack?.close();
  await test?.close();
});

const keyOf = (m: { metadata?: { event_payload: Record<string, unknown> } }) => String(m.metadata?.event_payload.dedup_key);

describe(`a burst of ${ALERTS} alerts across ${CHANNELS} channels`, () => {
  it('delivers every one and marks every outbox row sent', async () => {
    const byStatus = await db.prisma.alertOutbox.groupBy({ by: ['status'], _count: { _all: true } });
    expect(byStatus.map((g) => [g.status, g._count._all])).toEqual([['sent', ALERTS]]);
    expect(passes.reduce((a, p) => a + p.sent, 0)).toBe(ALERTS);
    expect(passes.reduce((a, p) => a + p.failed, 0)).toBe(0);
    expect(slack.messages.filter((m) => !m.thread_ts)).toHaveLength(ALERTS);
  });

  it('posts nothing twice, not even the posts whose answers were lost', () => {
    const keys = slack.messages.map(keyOf);
    expect(new Set(keys).size).toBe(ALERTS);
    expect(injected.lostAnswers).toBe(3);
  });

  it('keeps each channel in queue order', () => {
    for (const [channel, expected] of queued) {
      expect(expected).toHaveLength(ALERTS / CHANNELS);
      expect(slack.messages.filter((m) => m.channel === channel).map(keyOf)).toEqual(expected);
    }
  });

  it('honours every 429: nothing more is posted to that channel before Retry-After', () => {
    const limits = slack.rateLimits.filter((r) => !r.enforced);
    expect(limits.length).toBe(injected.ratelimited);
    expect(limits.length).toBeGreaterThanOrEqual(10);
    for (const r of limits) {
      const early = slack.posts.filter((p) => p.channel === r.channel && p.at > r.at && p.at < r.at + r.retryAfterS * 1000);
      expect(early).toEqual([]);
    }
    expect(injected.serverErrors).toBeGreaterThan(0);
  });

  it('keeps to about one message a second per channel: the fake never had to refuse one', () => {
    expect(slack.rateLimits.filter((r) => r.enforced)).toEqual([]);
    for (let c = 0; c < CHANNELS; c++) {
      const times = slack.posts.filter((p) => p.channel === channelId(c)).map((p) => p.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    }
    // 50 posts a channel at one a second: the virtual clock moved at least 49 s.
    expect(t - START).toBeGreaterThanOrEqual(49_000);
  });
});
