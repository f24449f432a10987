// Two bots sharing one SQLite file: each has its own database connection, its own Web API client
// (production's factory) and its own scheduler, and both wake the deliver job for the same ticks at
// the same time. Each notification reaches Slack once.
import { afterEach, describe, expect, it } from 'vitest';
import { alertOutbox } from '../../src/alerts/alert-outbox.ts';
import { deliverOutbox } from '../../src/alerts/deliver-outbox.ts';
import { readEnv } from '../../src/config/env.ts';
import type { AlertNotification } from '../../src/domain/alert.ts';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { manualTrigger } from '../../src/jobs/trigger.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { slackNotifier } from '../../src/slack/slack-notifier.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { migratedDb } from '../helpers/migrated-db.ts';
import { startFakeSlack } from '../helpers/fake-slack.ts';

const START = Date.parse('2024-04-01T09:00:00Z');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('two bots on one SQLite file', () => {
  it('deliver every notification once while both fire the deliver job for the same ticks', async () => {
    const file = await migratedDb();
    const slack = await startFakeSlack({ channels: { alerts: 'C0ALERTS', leads: 'C0LEADS' } });
    closers.push(async () => {
      await slack.close();
      await file.drop();
    });
    const seed = file.db;
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      const channel = i % 2 ? '#leads' : '#alerts';
      const episode = await seed.prisma.alertEpisode.create({
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
      await seed.prisma.alertOutbox.create({
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
    await seed.close();

    let now = START;
    const clock: Clock = { now: () => new Date(now) };
    const bots = await Promise.all(
      ['one', 'two'].map(async (name) => {
        const db = await openDatabase(file.url);
        const notifier = slackNotifier({
          client: createSlackClient(readEnv({ SLACK_BOT_TOKEN: `xoxb-${name}`, SLACK_API_URL: slack.apiUrl })),
          locale: 'en',
          perChannelMs: 0,
        });
        const scheduler = createScheduler({
          db,
          jobs: [
            {
              name: 'deliver',
              schedule: { everyMs: 5_000 },
              run: async () => void (await deliverOutbox(alertOutbox(db), notifier, clock.now(), silentLogger())),
            },
          ],
          timeZone: 'UTC',
          catchUp: 'latest',
          leaseMs: 600_000,
          clock,
          trigger: manualTrigger,
          log: silentLogger(),
          instance: `bot-${name}`,
        });
        closers.push(async () => {
          await scheduler.stop();
          await db.close();
        });
        await scheduler.start();
        return scheduler;
      }),
    );
    const outcomes: string[] = [];
    for (let tick = 1; tick <= 3; tick++) {
      now = START + tick * 5_000;
      outcomes.push(...(await Promise.all(bots.map((b) => b.fire('deliver')))));
    }
    // Each tick ran on exactly one of them.
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(3);
    const posted = slack.messages.map((m) => String(m.metadata?.event_payload.dedup_key));
    expect(posted.slice().sort()).toEqual(keys.slice().sort());
    expect(new Set(posted).size).toBe(posted.length);
  });
});
