// The digest reaches Slack through the outbox: a manager's as a DM, a channel's in the channel,
// each once, with its chart in the thread, against the fake Slack Web API on loopback.
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { digestReply } from '../../src/answers/digest-reply.ts';
import { readEnv } from '../../src/config/env.ts';
import { digestService, type DigestService } from '../../src/digest/digest-service.ts';
import { botJobs } from '../../src/jobs/bot-jobs.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { renderChartPng } from '../../src/charts/render-chart.ts';
import { createSlackClient } from '../../src/slack/slack-client.ts';
import { DIGEST_METADATA_EVENT, slackDigestNotifier } from '../../src/slack/slack-digest-notifier.ts';
import { teams } from '../../src/store/team-directory.ts';
import { tempSqlite, type TestDatabase } from '../helpers/databases.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { sendSigned } from '../helpers/slack-requests.ts';
import { commandService } from '../../src/answers/command-service.ts';
import { createSlackApp } from '../../src/slack/slack-app.ts';
import { messageProblems } from '../helpers/block-kit.ts';
import type { Digest } from '../../src/digest/digest.ts';
import { memoryRefusal } from '../../src/slack/native-refusal.ts';

describe('digests in Slack', () => {
  let db: TestDatabase;
  let app: App;
  let slack: FakeSlack;
  let client: WebClient;
  let service: DigestService;
  let now: Date;
  let manager: string;
  beforeAll(async () => {
    db = tempSqlite();
    app = await createApp(readEnv({ DATABASE_URL: db.url, CRM_PULSE_CONFIG: '' }), silentLogger());
    await app.ingest('maven-crm');
    now = await app.asOf();
    manager = (await teams(app.db))[0]!.manager;
    slack = await startFakeSlack({ channels: { revenue: 'C0REVENUE' } });
    client = createSlackClient(readEnv({ SLACK_BOT_TOKEN: 'xoxb-digest-test', SLACK_API_URL: slack.apiUrl, CRM_PULSE_HTTP_TIMEOUT_MS: '2000' }));
    const config = {
      digests: [
        { name: 'team-weekly', to: 'managers', managers: [manager], schedule: '0 8 * * 1', timezone: 'America/New_York' },
        { name: 'revenue', to: '#revenue', schedule: '0 9 * * 1' },
      ],
      alerts: { ...app.config.config.alerts, owners: { [manager]: 'U0MANAGER' } },
      timezone: 'Europe/London',
    } as Parameters<typeof digestService>[1];
    service = digestService(app, config, silentLogger());
  });
  afterAll(async () => {
    await slack.close();
    await app.close();
    await db.drop();
  });

  const notifier = () => slackDigestNotifier({ client, chartPng: renderChartPng, render: async (d) => digestReply(app, d, 'en') });

  it("sends a manager's digest as a DM and a channel digest to the channel, each once with its chart in the thread", async () => {
    expect((await service.run('team-weekly', now)).queued).toBe(1);
    expect((await service.run('revenue', now)).queued).toBe(1);
    expect(await service.deliver(notifier(), now)).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const posts = slack.messages.filter((m) => !m.thread_ts);
    expect(posts.map((m) => m.channel)).toEqual(['DU0MANAGER', 'C0REVENUE']);
    expect(posts[0]!.text).toContain(`Weekly digest · ${manager}'s team`);
    expect(posts[1]!.text).toContain('Weekly digest · company');
    for (const p of posts) expect(messageProblems({ text: p.text ?? '', blocks: p.blocks })).toEqual([]);
    expect(posts[0]!.metadata).toEqual({
      event_type: DIGEST_METADATA_EVENT,
      event_payload: { dedup_key: expect.stringMatching(new RegExp(`^team-weekly\\|${manager}\\|2017-W\\d\\d$`)) },
    });
    for (const p of posts) {
      const charts = slack.messages.filter((m) => m.thread_ts === p.ts && m.files?.length);
      expect(charts).toHaveLength(1);
      expect(charts[0]!.files![0]!.bytes).toBeGreaterThan(10_000);
    }
    // Nothing is due any more: a later pass sends nothing.
    expect(await service.deliver(notifier(), new Date(now.getTime() + 60_000))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    const rows = await app.db.prisma.digestOutbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.ref])).toEqual([
      ['sent', `DU0MANAGER/${posts[0]!.ts}`],
      ['sent', `C0REVENUE/${posts[1]!.ts}`],
    ]);
  });

  it('finds its own message instead of posting again when the bookkeeping was lost', async () => {
    const before = slack.messages.length;
    const row = (await app.db.prisma.digestOutbox.findMany({ orderBy: { id: 'asc' } }))[0]!;
    const again = await notifier().deliver({ dedupKey: row.dedupKey, target: row.target, digest: JSON.parse(row.payload) });
    expect(again.ref).toBe(row.ref);
    expect(slack.messages.length).toBe(before);
  });

  it('retries a 429 and keeps a channel that does not exist as failed, with the reason', async () => {
    await app.db.prisma.digestOutbox.deleteMany({});
    // A fresh workspace: the message of the first test would otherwise be found and count as sent.
    slack.messages.length = 0;
    await service.run('revenue', now);
    slack.fail('chat.postMessage', { status: 429, retryAfter: 30 });
    expect(await service.deliver(notifier(), now)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    const waiting = await app.db.prisma.digestOutbox.findFirstOrThrow({});
    expect(waiting.notBefore.getTime()).toBeGreaterThanOrEqual(now.getTime() + 30_000);
    expect(await service.deliver(notifier(), new Date(waiting.notBefore.getTime() - 1))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await service.deliver(notifier(), waiting.notBefore)).toEqual({ sent: 1, retrying: 0, failed: 0 });

    await app.db.prisma.digestOutbox.deleteMany({});
    const gone = digestService(
      app,
      { digests: [{ name: 'gone', to: '#gone', schedule: '0 9 * * 1' }], alerts: app.config.config.alerts } as Parameters<typeof digestService>[1],
      silentLogger(),
    );
    await gone.run('gone', now);
    expect(await gone.deliver(notifier(), now)).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await app.db.prisma.digestOutbox.findFirstOrThrow({})).lastError).toContain('channel_not_found');
  });

  it('a digest whose answer is cut off after Slack posted it is posted once: the client does not resend, the retry finds it', async () => {
    await app.db.prisma.digestOutbox.deleteMany({});
    slack.messages.length = 0;
    await service.run('revenue', now);
    const postsBefore = slack.calls.filter((c) => c.method === 'chat.postMessage').length;
    slack.fail('chat.postMessage', { cut: true });
    expect(await service.deliver(notifier(), now)).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').length - postsBefore).toBe(1);
    const waiting = await app.db.prisma.digestOutbox.findFirstOrThrow({});
    expect(await service.deliver(notifier(), waiting.notBefore)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const digests = slack.messages.filter((m) => !m.thread_ts && m.channel === 'C0REVENUE');
    expect(digests).toHaveLength(1);
    expect((await app.db.prisma.digestOutbox.findFirstOrThrow({})).ref).toBe(`C0REVENUE/${digests[0]!.ts}`);
  });

  it('schedules each digest in its own time zone', () => {
    const noop = async () => undefined;
    const jobs = botJobs(
      { ...app.config.config, digests: [{ name: 'team-weekly', to: 'managers', schedule: '0 8 * * 1', timezone: 'America/New_York' }] },
      { sync: async () => true, evaluate: noop, deliver: noop, digest: noop },
    );
    const job = jobs.find((j) => j.name === 'digest:team-weekly')!;
    expect(job.schedule).toMatchObject({ timeZone: 'America/New_York' });
    expect('cron' in job.schedule && job.schedule.cron.text).toBe('0 8 * * 1');
    // Local mode passes no digest action: no digest jobs.
    expect(
      botJobs(
        { ...app.config.config, digests: [{ name: 'x', to: 'managers', schedule: '0 8 * * 1' }] },
        { sync: async () => true, evaluate: noop, deliver: noop },
      ).map((j) => j.name),
    ).not.toContain('digest:x');
  });

  it('native: the headline KPI is a line in the message and the small multiples a PNG in the thread; a refusal resends at once without it and marks the workspace', async () => {
    const mark = memoryRefusal();
    const native = () =>
      slackDigestNotifier({ client, chartPng: renderChartPng, render: async (d) => digestReply(app, d, 'en'), charts: 'native', nativeRefusal: mark });
    const fresh = async () => {
      await app.db.prisma.digestOutbox.deleteMany({});
      slack.messages.length = 0;
      await service.run('revenue', now);
    };
    type Line = { title: string; chart: { series: { data: { label: string; value: number }[] }[] } };
    const lines = (m: { blocks?: unknown[] }) => (m.blocks ?? []).filter((b) => (b as { type: string }).type === 'data_visualization') as Line[];
    const thread = (ts: string) => slack.messages.filter((m) => m.thread_ts === ts).flatMap((m) => m.files ?? []);

    await fresh();
    expect(await service.deliver(native(), now)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const [post] = slack.messages.filter((m) => !m.thread_ts);
    const [line] = lines(post!);
    // The same data as the small multiples: the digest's first charted KPI (its most unusual), each week's value.
    const digest = JSON.parse((await app.db.prisma.digestOutbox.findFirstOrThrow({})).payload) as Digest;
    const head = digest.kpis.find((k) => k.points.some((p) => p.value !== null))!;
    const first = head.points.findIndex((p) => p.value !== null);
    const scale = head.unit === 'percent' ? 100 : 1;
    expect(line!.chart.series[0]!.data.map((d) => [d.label, d.value])).toEqual(
      head.points.slice(first).map((p) => [p.period, Math.round(p.value! * scale * 10) / 10]),
    );
    expect(head.points).toHaveLength(8);
    expect(line!.title).toContain(app.kpis.get(head.key).title.slice(0, 20));
    expect(thread(post!.ts)).toHaveLength(1);

    await fresh();
    const refused: string[] = [];
    slack.inject = (method, params) =>
      method === 'chat.postMessage' && JSON.stringify(params.blocks ?? '').includes('data_visualization')
        ? (refused.push(method), { error: 'invalid_blocks' })
        : undefined;
    try {
      expect(await service.deliver(native(), now)).toEqual({ sent: 1, retrying: 0, failed: 0 });
      const [again] = slack.messages.filter((m) => !m.thread_ts);
      expect(refused).toHaveLength(1);
      expect(lines(again!)).toEqual([]);
      expect(thread(again!.ts)).toHaveLength(1);
      expect(mark.reason()).toMatch(/invalid_blocks/);
      // The workspace is marked: the next digest does not try the block.
      await fresh();
      expect(await service.deliver(native(), now)).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(refused).toHaveLength(1);
      expect(slack.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
    } finally {
      slack.inject = undefined;
    }
  });

  it("shows a manager the next digest of their team in App Home, in the digest's time zone", async () => {
    const env = readEnv({ SLACK_BOT_TOKEN: 'xoxb-home-test', SLACK_SIGNING_SECRET: 'home-secret', SLACK_API_URL: slack.apiUrl, PORT: '0' });
    const services = {
      commands: commandService(app),
      alerts: app.alerts,
      config: app.config.config,
      log: silentLogger(),
      now: async () => new Date('2026-11-22T12:00:00Z'),
      chartPng: renderChartPng,
      digests: service,
    };
    const bot = createSlackApp(env, services, { botId: 'BBOT', botUserId: 'UBOT' });
    const { port } = await bot.start();
    try {
      const open = (user: string) =>
        sendSigned(
          `http://127.0.0.1:${port}/slack/events`,
          JSON.stringify({
            type: 'event_callback',
            team_id: 'T0TEAM',
            api_app_id: 'A0APP',
            event_id: `Ev${user}`,
            event_time: 1,
            event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' },
          }),
          { secret: 'home-secret', contentType: 'application/json' },
        );
      const homeText = async (user: string) => {
        const before = slack.views.length;
        expect((await open(user)).status).toBe(200);
        for (let i = 0; i < 400 && slack.views.length === before; i++) await new Promise((r) => setTimeout(r, 25));
        return JSON.stringify(slack.views.at(-1)!.body);
      };
      // Sunday 22 November 2026, noon UTC: the team digest goes out Monday 08:00 in New York.
      const home = await homeText('U0MANAGER');
      expect(home).toContain('Next weekly digest');
      expect(home).toContain(`\`team-weekly\` → your team (${manager}): 2026-11-23 08:00 (America/New_York)`);
      expect(home).toContain('`revenue` → #revenue: 2026-11-23 09:00 (Europe/London)');
      const someone = await homeText('U0SOMEONE');
      expect(someone).not.toContain('team-weekly');
      expect(someone).toContain('`revenue` → #revenue');
    } finally {
      await bot.stop();
    }
  });
});
